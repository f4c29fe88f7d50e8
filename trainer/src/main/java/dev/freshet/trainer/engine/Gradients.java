package dev.freshet.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient housekeeping DJL's public API does not offer. PyTorch accumulates gradients across
 * backward passes; DJL's optimizers zero them inside their update, so a step that is skipped (a
 * non-finite loss, a gate rollback) would leak its gradient into the next step unless zeroed here.
 * {@code zero_()} also clears NaN, which multiplying by 0 would not.
 */
public final class Gradients {

    private Gradients() {}

    public static void zero(NDArray parameter) {
        if (parameter.hasGradient()) {
            JniUtils.zeroGrad((PtNDArray) parameter);
        }
    }
}
