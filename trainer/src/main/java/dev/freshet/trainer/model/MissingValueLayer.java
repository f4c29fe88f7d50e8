package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Where a dense value is missing, use a learned per-feature default instead: x' = x (1 - m) + m δ.
 * Neither 0 nor the mean is right for "unknown" (0 is a real bucket value, the mean hides that the
 * value was absent); δ learns what absence predicts.
 */
public final class MissingValueLayer {

    private final Param defaults;

    MissingValueLayer(Params params, int features) {
        this.defaults = params.declare("missing.default", new Shape(features), Param.Init.ZEROS);
    }

    NDArray forward(NDArray values, NDArray missing) {
        return values.sub(values.mul(missing)).add(missing.mul(defaults.array()));
    }
}
