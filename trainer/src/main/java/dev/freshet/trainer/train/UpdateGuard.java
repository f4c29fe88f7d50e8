package dev.freshet.trainer.train;

/**
 * Decides, after a batch's loss and gradients are known and before they touch the parameters,
 * whether the update is applied. Refusing costs nothing: the parameters simply stay the last good
 * state. The session itself always refuses a non-finite loss or gradient.
 */
@FunctionalInterface
public interface UpdateGuard {

    /** Applies everything finite. */
    UpdateGuard FINITE = (loss, gradientNorm) -> null;

    /**
     * @return null to apply the update, or a short reason code (e.g. {@code "loss_spike"}) to skip
     */
    String refuse(float loss, double gradientNorm);
}
