package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Layer normalization over the last axis with a learned gain and bias. */
final class LayerNorm {

    static final float EPSILON = 1e-5f;

    private final Param gain;
    private final Param bias;
    private final Shape shape;

    LayerNorm(Params params, String name, long dim) {
        this.shape = new Shape(dim);
        this.gain = params.declare(name + ".gain", shape, Param.Init.ONES);
        this.bias = params.declare(name + ".bias", shape, Param.Init.ZEROS);
    }

    NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, shape, gain.array(), bias.array(), EPSILON)
                .singletonOrThrow();
    }
}
