package dev.freshet.trainer.train;

/**
 * What one training step saw and did. The predictions are the model's scores for the batch
 * <em>before</em> it learned from it (progressive evaluation comes free: there is no dropout or
 * batch statistics, so the training forward pass is exactly the inference of the old parameters).
 *
 * @param refusal null when the update was applied, else why not ({@link #NON_FINITE} or the guard's
 *     reason)
 * @param loss the total loss (task-weighted BCE plus the KL term)
 * @param taskLosses [K] each task's weighted mean BCE
 * @param klLoss the KL bound term before its weight, NaN when not configured
 * @param gradientNorm L2 norm over every gradient, dense parameters and touched embedding rows
 * @param probabilities [B x K] row-major predicted probabilities
 */
public record StepResult(
        int samples,
        String refusal,
        float loss,
        float[] taskLosses,
        float klLoss,
        double gradientNorm,
        float[] probabilities) {

    /** The refusal of a step whose loss or gradient norm was NaN or infinite. */
    public static final String NON_FINITE = "non_finite";

    public boolean applied() {
        return refusal == null;
    }
}
