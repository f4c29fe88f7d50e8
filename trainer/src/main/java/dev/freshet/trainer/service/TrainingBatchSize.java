package dev.freshet.trainer.service;

import ai.djl.Device;
import dev.freshet.manifest.Manifest;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.memory.BatchSizePicker;
import dev.freshet.trainer.memory.MemoryBudget;
import dev.freshet.trainer.memory.SyntheticBatch;

/**
 * The service's samples per step: {@code batch_size}, or with {@code memory_budget} the largest
 * batch up to it whose measured peak memory stays under the budget. Picked once per model built or
 * restored, before its session exists, on synthetic batches from the layout (no sample has been
 * read yet).
 *
 * @param picked the budget's measurements, or null without {@code memory_budget}
 */
record TrainingBatchSize(int size, BatchSizePicker.Picked picked) {

    static TrainingBatchSize choose(
            TrainerServiceConfig config, ModelConfig model, ModelLayout layout, Device device) {
        if (config.memoryBudget() == null) {
            return new TrainingBatchSize(config.batchSize(), null);
        }
        BatchSizePicker.Picked picked =
                MemoryBudget.pick(
                        model,
                        layout,
                        config.threads(),
                        device,
                        config.memoryBudget(),
                        MemoryBudget.minBatch(config.batchSize()),
                        config.batchSize(),
                        size -> SyntheticBatch.of(layout, model, size));
        return new TrainingBatchSize(picked.batchSize(), picked);
    }

    /** The manifest's {@code training} record. */
    Manifest.Training manifest() {
        if (picked == null) {
            return new Manifest.Training(size, null);
        }
        return new Manifest.Training(
                size,
                new Manifest.MemoryBudget(
                        picked.fraction(),
                        picked.deviceBytes(),
                        picked.budgetBytes(),
                        picked.peakBytes(),
                        picked.probes().stream()
                                .map(
                                        p ->
                                                new Manifest.Probe(
                                                        p.batchSize(), p.peakBytes(), p.fits()))
                                .toList()));
    }
}
