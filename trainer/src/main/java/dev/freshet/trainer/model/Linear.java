package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** y = x W^T + b, W of shape [out, in] (PyTorch's layout). */
public final class Linear {

    private final Param weight;
    private final Param bias;

    Linear(Params params, String name, long in, long out, boolean withBias) {
        this.weight = params.declare(name + ".weight", new Shape(out, in), Param.Init.XAVIER);
        this.bias =
                withBias ? params.declare(name + ".bias", new Shape(out), Param.Init.ZEROS) : null;
    }

    /** The result belongs to {@code x}'s manager (the step's), never to the parameters'. */
    NDArray forward(NDArray x) {
        return bias == null
                ? ai.djl.nn.core.Linear.linear(x, weight.array()).singletonOrThrow()
                : ai.djl.nn.core.Linear.linear(x, weight.array(), bias.array()).singletonOrThrow();
    }
}
