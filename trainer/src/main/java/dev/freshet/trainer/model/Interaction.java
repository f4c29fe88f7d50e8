package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;

/** The feature-interaction block between the feature embedding and the shared MLP. */
interface Interaction {

    /** Maps the feature embedding [B, n] to [B, outputDim()]. */
    NDArray forward(NDArray x0);

    long outputDim();
}
