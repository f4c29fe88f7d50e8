package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * One DCNv2 cross layer, x_{l+1} = x0 ⊙ (W x_l + b) + x_l: an explicit multiplicative interaction
 * with the input, one degree higher per layer, plus the residual. Full rank: W is n x n. With a
 * rank, W = U V^T with a ReLU between the two projections (the paper's low-rank variant), 2 n r
 * parameters instead of n².
 */
final class CrossLayer {

    private final Linear full;
    private final Linear down;
    private final Linear up;

    CrossLayer(Params params, String name, long n, int rank) {
        if (rank <= 0) {
            this.full = new Linear(params, name, n, n, true);
            this.down = null;
            this.up = null;
        } else {
            this.full = null;
            this.down = new Linear(params, name + ".v", n, rank, false);
            this.up = new Linear(params, name + ".u", rank, n, true);
        }
    }

    NDArray forward(NDArray x0, NDArray xl) {
        NDArray mixed =
                full != null
                        ? full.forward(xl)
                        : up.forward(ai.djl.nn.Activation.relu(down.forward(xl)));
        return x0.mul(mixed).add(xl);
    }
}
