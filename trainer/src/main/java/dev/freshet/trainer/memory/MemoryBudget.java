package dev.freshet.trainer.memory;

import ai.djl.Device;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.train.TrainingSession;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's memory budget measured on real training: each candidate batch size (see {@link
 * BatchSizePicker}) trains a few steps of a throwaway model of the config and layout on the device,
 * and its peak memory ({@link DeviceMemory}) is compared with a fraction of the device's memory.
 */
public final class MemoryBudget {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryBudget.class);

    /** The smallest batch a budget picks, unless the largest allowed is smaller. */
    public static final int MIN_BATCH = 16;

    /** Steps per candidate: the first step allocates the optimizer state. */
    static final int PROBE_STEPS = 3;

    private MemoryBudget() {}

    /**
     * @param fraction the share of the device's memory a batch's peak must stay under, in (0, 1]
     * @param minBatch the smallest candidate
     * @param maxBatch the largest candidate
     * @param batchOfSize a batch of exactly the given size to train the candidate on
     * @throws IllegalStateException if even {@code minBatch} is over budget
     */
    public static BatchSizePicker.Picked pick(
            ModelConfig config,
            ModelLayout layout,
            int threads,
            Device device,
            double fraction,
            int minBatch,
            int maxBatch,
            IntFunction<Batch> batchOfSize) {
        DeviceMemory memory = DeviceMemory.of(device);
        BatchSizePicker.Picked picked =
                BatchSizePicker.pick(
                        minBatch,
                        maxBatch,
                        fraction,
                        memory.total(),
                        size -> {
                            Batch batch = batchOfSize.apply(size);
                            try (TrainingSession probe =
                                    new TrainingSession(config, layout, threads, device)) {
                                memory.resetPeak();
                                for (int s = 0; s < PROBE_STEPS; s++) {
                                    probe.step(batch);
                                    memory.sample();
                                }
                                return memory.peak();
                            }
                        });
        LOG.info(
                "Memory budget {} of {} MiB on {} ({} MiB): batch {} (peak {} MiB); probes {}",
                picked.fraction(),
                picked.deviceBytes() >> 20,
                device,
                picked.budgetBytes() >> 20,
                picked.batchSize(),
                picked.peakBytes() >> 20,
                picked.probes());
        return picked;
    }

    /** {@link #MIN_BATCH}, or {@code maxBatch} when that is smaller. */
    public static int minBatch(int maxBatch) {
        return Math.min(MIN_BATCH, maxBatch);
    }
}
