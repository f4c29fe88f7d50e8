package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * x / sqrt(||x||² + ε) along the last axis. Sparse and embedding parts arrive at very different
 * scales (a mean of rows, a pretrained vector); normalizing each puts them on the unit sphere so no
 * one part dominates the cross layers. ε keeps the gradient finite at 0.
 */
final class L2Normalize {

    static final float EPSILON = 1e-12f;

    private L2Normalize() {}

    static NDArray forward(NDArray x) {
        NDArray norm = x.square().sum(new int[] {-1}, true).add(EPSILON).sqrt();
        return x.div(norm);
    }
}
