package dev.freshet.trainer.train;

/**
 * What one training step saw and did. The predictions are the model's scores for the batch
 * <em>before</em> it learned from it (progressive evaluation comes free: there is no dropout or
 * batch statistics, so the training forward pass is exactly the inference of the old parameters).
 *
 * @param applied false when the step was not applied because something was not finite
 * @param loss the total loss (task-weighted BCE plus the KL term)
 * @param taskLosses [K] each task's weighted mean BCE
 * @param klLoss the KL bound term before its weight, NaN when not configured
 * @param gradientNorm L2 norm over every gradient, dense parameters and touched embedding rows
 * @param probabilities [B x K] row-major predicted probabilities
 */
public record StepResult(
        int samples,
        boolean applied,
        float loss,
        float[] taskLosses,
        float klLoss,
        double gradientNorm,
        float[] probabilities) {}
