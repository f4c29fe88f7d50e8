package dev.freshet.trainer.service;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.gate.GateConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the trainer service needs besides its connections (Kafka, object store), read from the
 * {@code trainer:} and {@code model:} sections of a config file by {@link TrainerConfigFile}; every
 * field has a documented default.
 *
 * @param modelName the name versions are published under ({@code models/<name>/versions/})
 * @param batchSize samples per training step; with {@code memoryBudget}, the largest the budget may
 *     pick
 * @param memoryBudget when set, the fraction of the device's memory, in (0, 1], that a batch's
 *     measured peak must stay under: the service trains with the largest batch size that does
 *     ({@link dev.freshet.trainer.memory.MemoryBudget}); null trains with {@code batchSize}
 * @param maxBatchWait a partial batch is trained after waiting this long for more samples, so a
 *     slow stream still trains (freshness)
 * @param publishEverySamples a candidate is formed after this many consumed samples ...
 * @param publishEvery ... or after this long, whichever comes first (if anything was consumed)
 * @param probeSize the fixed probe set: the first this-many readable samples ever seen
 * @param windowSize progressive metrics cover this many of the newest trained samples
 * @param stateDir local checkpoints (crash recovery without the object store)
 * @param keepCheckpoints local checkpoints kept (besides any still being published)
 */
public record TrainerServiceConfig(
        String modelName,
        String samplesTopic,
        String deadLetterTopic,
        String specTopic,
        int batchSize,
        Double memoryBudget,
        Duration maxBatchWait,
        long publishEverySamples,
        Duration publishEvery,
        int probeSize,
        int windowSize,
        Path stateDir,
        int keepCheckpoints,
        int threads,
        String device,
        GateConfig gate,
        ModelConfig model) {

    public TrainerServiceConfig {
        Objects.requireNonNull(modelName, "model_name");
        if (!modelName.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException(
                    "trainer.model_name: '" + modelName + "' must match [a-z0-9][a-z0-9._-]{0,62}");
        }
        if (batchSize < 1 || publishEverySamples < 1 || probeSize < 0 || windowSize < 1) {
            throw new IllegalArgumentException(
                    "trainer: batch_size, publish_every_samples and window_size must be positive");
        }
        if (memoryBudget != null && !(memoryBudget > 0 && memoryBudget <= 1)) {
            throw new IllegalArgumentException(
                    "trainer.memory_budget: a fraction of the device's memory in (0, 1], got "
                            + memoryBudget);
        }
        if (keepCheckpoints < 2) {
            throw new IllegalArgumentException("trainer.keep_checkpoints: at least 2");
        }
        if (!device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("trainer.device: cpu or gpu, got " + device);
        }
        Objects.requireNonNull(stateDir, "state_dir");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(model, "model");
    }

    public static TrainerServiceConfig defaults(Path stateDir) {
        return new TrainerServiceConfig(
                "ranking",
                "samples",
                "freshet.dlq",
                "freshet.feature-specs",
                512,
                null,
                Duration.ofSeconds(2),
                50_000,
                Duration.ofMinutes(5),
                1_024,
                100_000,
                stateDir,
                3,
                1,
                "cpu",
                GateConfig.defaults(),
                ModelConfig.defaults());
    }

    public TrainerServiceConfig withStateDir(Path dir) {
        return new TrainerServiceConfig(
                modelName,
                samplesTopic,
                deadLetterTopic,
                specTopic,
                batchSize,
                memoryBudget,
                maxBatchWait,
                publishEverySamples,
                publishEvery,
                probeSize,
                windowSize,
                dir,
                keepCheckpoints,
                threads,
                device,
                gate,
                model);
    }

    /** The same config on other topics and intervals (tests and embedded stacks). */
    public TrainerServiceConfig with(
            String name,
            String samples,
            String deadLetters,
            String specs,
            int batch,
            long everySamples,
            GateConfig newGate) {
        return new TrainerServiceConfig(
                name,
                samples,
                deadLetters,
                specs,
                batch,
                memoryBudget,
                maxBatchWait,
                everySamples,
                publishEvery,
                probeSize,
                windowSize,
                stateDir,
                keepCheckpoints,
                threads,
                device,
                newGate,
                model);
    }

    public TrainerServiceConfig withDevice(String newDevice) {
        return new TrainerServiceConfig(
                modelName,
                samplesTopic,
                deadLetterTopic,
                specTopic,
                batchSize,
                memoryBudget,
                maxBatchWait,
                publishEverySamples,
                publishEvery,
                probeSize,
                windowSize,
                stateDir,
                keepCheckpoints,
                threads,
                newDevice,
                gate,
                model);
    }
}
