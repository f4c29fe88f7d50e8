package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * One MaskNet block (Wang et al., 2021): an instance-guided mask, two layers aggregating the
 * feature embedding x0 (n → m·ratio → m), scales the block's m-wide input element-wise; a hidden
 * layer with layer norm and ReLU maps the result to the block's output width.
 *
 * <pre>
 * on the feature embedding (m = n):   out = ReLU(LN(W (mask(x0) ⊙ LN(x0))))
 * on a previous block's output h:     out = ReLU(LN(W (mask(x0) ⊙ h)))
 * </pre>
 *
 * The second form is the paper's "MaskBlock on MaskBlock" of its serial model: h is already layer
 * normalized, and the mask still comes from the feature embedding.
 */
final class MaskBlock {

    private final Linear aggregate;
    private final Linear project;
    private final LayerNorm embeddingNorm;
    private final Linear hidden;
    private final LayerNorm hiddenNorm;

    /** A block on the feature embedding itself, n wide. */
    MaskBlock(Params params, String name, long n, double ratio, long out) {
        this(params, name, n, n, ratio, out, true);
    }

    /** A block on a previous block's output, {@code in} wide, masked from the n-wide x0. */
    static MaskBlock onBlock(Params params, String name, long n, long in, double ratio, long out) {
        return new MaskBlock(params, name, n, in, ratio, out, false);
    }

    private MaskBlock(
            Params params,
            String name,
            long n,
            long in,
            double ratio,
            long out,
            boolean onEmbedding) {
        long width = Math.max(1, Math.round(in * ratio));
        this.aggregate = new Linear(params, name + ".mask.aggregate", n, width, true);
        this.project = new Linear(params, name + ".mask.project", width, in, true);
        this.embeddingNorm =
                onEmbedding ? new LayerNorm(params, name + ".embedding_norm", n) : null;
        this.hidden = new Linear(params, name + ".hidden", in, out, false);
        this.hiddenNorm = new LayerNorm(params, name + ".hidden_norm", out);
    }

    NDArray forward(NDArray x0) {
        return forward(x0, x0);
    }

    /**
     * @param x0 the feature embedding the mask is computed from
     * @param input what the mask scales: x0 itself, or a previous block's output
     */
    NDArray forward(NDArray x0, NDArray input) {
        NDArray mask = project.forward(Activation.relu(aggregate.forward(x0)));
        NDArray masked = (embeddingNorm != null ? embeddingNorm.forward(input) : input).mul(mask);
        return Activation.relu(hiddenNorm.forward(hidden.forward(masked)));
    }
}
