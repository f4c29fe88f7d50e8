package dev.freshet.trainer.experiment;

import ai.djl.Device;
import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigJson;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.embedding.EmbeddingTable;
import dev.freshet.trainer.memory.BatchSizePicker;
import dev.freshet.trainer.memory.DeviceMemory;
import dev.freshet.trainer.memory.MemoryBudget;
import dev.freshet.trainer.metrics.HitAtK;
import dev.freshet.trainer.metrics.MetricWindow;
import dev.freshet.trainer.train.StepResult;
import dev.freshet.trainer.train.TrainingSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains one model config with each seed on an experiment's samples and judges it: the first part
 * of the replay is learned from in order, the held-out rest is scored without learning. Runs in the
 * calling process; {@link ExperimentRunner} gives each config a process of its own so that peak
 * memory is that config's alone.
 */
public final class ConfigTrial {

    /** Untimed inference batches before the timed ones. */
    private static final int LATENCY_WARMUP = 3;

    /** Told after every training step. */
    @FunctionalInterface
    public interface Progress {
        void update(int seedIndex, int seeds, long step, long steps);
    }

    private final ExperimentData data;
    private final ExperimentSettings settings;
    private final Device device;
    private final ModelLayout layout;

    public ConfigTrial(ExperimentData data, ExperimentSettings settings, Device device) {
        this.data = data;
        this.settings = settings;
        this.device = device;
        this.layout = ModelLayout.of(data.spec());
    }

    /**
     * @param name the config's name in the table
     * @param config the model config; its seed is replaced by each of {@code seeds}
     * @param seeds at least one
     */
    public ConfigResult run(String name, ModelConfig config, List<Long> seeds, Progress progress) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed is needed");
        }
        data.requireLabels(config.taskNames());
        String hitTask = hitTask(config);
        int hitK = config.hit() == null ? settings.hitK() : config.hit().k();
        int trainCount = settings.trainCount(data.samples().size());
        List<Sample> train = data.samples().subList(0, trainCount);
        List<Sample> holdout = data.samples().subList(trainCount, data.samples().size());
        DeviceMemory memory = DeviceMemory.of(device);
        int batchSize =
                settings.memoryBudget() == null
                        ? settings.batchSize()
                        : pickBatchSize(config, train).batchSize();
        BatchAssembler assembler = new BatchAssembler(layout, config.taskNames());
        List<Batch> trainBatches = new ArrayList<>();
        List<Batch> holdoutBatches = new ArrayList<>();
        int rejected =
                assemble(assembler, train, batchSize, trainBatches)
                        + assemble(assembler, holdout, batchSize, holdoutBatches);
        if (trainBatches.isEmpty() || holdoutBatches.isEmpty()) {
            throw new IllegalArgumentException(
                    name
                            + ": no sample fits the model's tasks "
                            + config.taskNames()
                            + " in the "
                            + (trainBatches.isEmpty() ? "training part" : "holdout"));
        }
        int heldOut = holdoutBatches.stream().mapToInt(Batch::size).sum();

        memory.resetPeak();
        List<RunResult> runs = new ArrayList<>();
        long denseParams = 0;
        long embeddingParams = 0;
        for (int i = 0; i < seeds.size(); i++) {
            long seed = seeds.get(i);
            try (TrainingSession session =
                    new TrainingSession(
                            config.withSeed(seed), layout, settings.threads(), device)) {
                denseParams = session.network().params().count();
                embeddingParams =
                        session.embeddings().tables().stream().mapToLong(EmbeddingTable::rows).sum()
                                * config.embeddingDim();
                int seedIndex = i;
                runs.add(
                        runSeed(
                                session,
                                seed,
                                trainBatches,
                                holdoutBatches,
                                heldOut,
                                hitTask,
                                hitK,
                                memory,
                                (step, steps) ->
                                        progress.update(seedIndex, seeds.size(), step, steps)));
            }
        }
        return new ConfigResult(
                name,
                ModelConfigJson.hash(config.withSeed(0)),
                hitTask,
                hitK,
                batchSize,
                denseParams,
                embeddingParams,
                memory.peak(),
                memory.total(),
                device.toString(),
                train.size(),
                holdout.size(),
                rejected,
                runs);
    }

    /**
     * The memory budget: the largest batch under {@code memoryBudget} of the device, up to the
     * configured batch size, each candidate measured on a throwaway model trained on the samples.
     */
    BatchSizePicker.Picked pickBatchSize(ModelConfig config, List<Sample> train) {
        BatchAssembler assembler = new BatchAssembler(layout, config.taskNames());
        return MemoryBudget.pick(
                config,
                layout,
                settings.threads(),
                device,
                settings.memoryBudget(),
                MemoryBudget.minBatch(settings.batchSize()),
                settings.batchSize(),
                size -> assembler.assemble(cycle(train, size)).batch());
    }

    private interface StepProgress {
        void update(long step, long steps);
    }

    private RunResult runSeed(
            TrainingSession session,
            long seed,
            List<Batch> trainBatches,
            List<Batch> holdoutBatches,
            int heldOut,
            String hitTask,
            int hitK,
            DeviceMemory memory,
            StepProgress progress) {
        long steps = (long) settings.epochs() * trainBatches.size();
        long step = 0;
        long refused = 0;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (Batch batch : trainBatches) {
                StepResult result = session.step(batch);
                memory.sample();
                if (!result.applied()) {
                    refused++;
                }
                progress.update(++step, steps);
            }
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;

        MetricWindow window =
                new MetricWindow(session.config().taskNames(), heldOut, hitTask, hitK);
        for (Batch batch : holdoutBatches) {
            window.addBatch(
                    batch.requestIds(),
                    session.predict(batch),
                    batch.labels(),
                    batch.labelMask(),
                    batch.weights(),
                    batch.size());
        }
        HitAtK.Result hit = window.hit();
        return new RunResult(
                seed,
                window.taskMetrics(),
                hit.hitsPerRequest(),
                hit.requestsWithPositive(),
                step - refused,
                refused,
                trainSeconds,
                latencyMillis(session, holdoutBatches));
    }

    /** Median wall time of one inference batch, on the holdout's largest batches. */
    private double latencyMillis(TrainingSession session, List<Batch> holdoutBatches) {
        int largest = holdoutBatches.stream().mapToInt(Batch::size).max().orElseThrow();
        List<Batch> timed = holdoutBatches.stream().filter(b -> b.size() == largest).toList();
        for (int i = 0; i < LATENCY_WARMUP; i++) {
            session.predict(timed.get(i % timed.size()));
        }
        double[] millis = new double[settings.latencyRepeats()];
        for (int i = 0; i < millis.length; i++) {
            long t0 = System.nanoTime();
            session.predict(timed.get(i % timed.size()));
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(millis);
        int mid = millis.length / 2;
        return millis.length % 2 == 1 ? millis[mid] : (millis[mid - 1] + millis[mid]) / 2;
    }

    /** The HIT task: the config's, else "save" as the contract has it, else the first task. */
    static String hitTask(ModelConfig config) {
        if (config.hit() != null) {
            return config.hit().task();
        }
        return config.taskNames().contains("save") ? "save" : config.taskNames().get(0);
    }

    /** Splits {@code samples} into batches in order; returns how many samples were refused. */
    private static int assemble(
            BatchAssembler assembler, List<Sample> samples, int batchSize, List<Batch> out) {
        int rejected = 0;
        for (int from = 0; from < samples.size(); from += batchSize) {
            BatchAssembler.Assembled a =
                    assembler.assemble(
                            samples.subList(from, Math.min(samples.size(), from + batchSize)));
            rejected += a.rejected().size();
            if (a.batch().size() > 0) {
                out.add(a.batch());
            }
        }
        return rejected;
    }

    private static List<Sample> cycle(List<Sample> samples, int size) {
        List<Sample> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(samples.get(i % samples.size()));
        }
        return out;
    }
}
