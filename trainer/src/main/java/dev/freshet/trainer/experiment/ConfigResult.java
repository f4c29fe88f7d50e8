package dev.freshet.trainer.experiment;

import java.util.List;

/**
 * Everything one config's worker measured, over all its seeds.
 *
 * @param name the config's name (its file name without extension)
 * @param configHash the model config's hash, as in manifests (seed excluded)
 * @param hitTask the task HIT@k ranks by
 * @param hitK k of HIT@k
 * @param batchSize the batch size it trained with (picked under the memory budget, if one is set)
 * @param denseParams trainable parameters of the dense network (the interaction study's knob)
 * @param embeddingParams parameters of the embedding tables (rows x dim)
 * @param peakMemoryBytes the worker's peak memory while training: resident memory on the CPU,
 *     device memory on a GPU
 * @param deviceMemoryBytes the memory of the device the peak is measured against
 * @param device where it trained, e.g. "cpu()"
 * @param trainSamples samples in the training part
 * @param holdoutSamples samples held out for evaluation
 * @param rejectedSamples samples the batch assembler refused (not trained on, not evaluated)
 * @param runs one result per seed, in seed order
 */
public record ConfigResult(
        String name,
        String configHash,
        String hitTask,
        int hitK,
        int batchSize,
        long denseParams,
        long embeddingParams,
        long peakMemoryBytes,
        long deviceMemoryBytes,
        String device,
        int trainSamples,
        int holdoutSamples,
        int rejectedSamples,
        List<RunResult> runs) {

    public ConfigResult {
        runs = List.copyOf(runs);
    }
}
