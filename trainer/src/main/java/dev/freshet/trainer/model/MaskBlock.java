package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * One MaskNet block on the feature embedding (Wang et al., 2021): an instance-guided mask, two
 * layers aggregating the input itself (n → n·ratio → n), scales the layer-normalized embedding
 * element-wise; a hidden layer with layer norm and ReLU maps the result to the block's output
 * width: out = ReLU(LN(W (mask ⊙ LN(x0)))).
 */
final class MaskBlock {

    private final Linear aggregate;
    private final Linear project;
    private final LayerNorm embeddingNorm;
    private final Linear hidden;
    private final LayerNorm hiddenNorm;

    MaskBlock(Params params, String name, long n, double ratio, long out) {
        long width = Math.max(1, Math.round(n * ratio));
        this.aggregate = new Linear(params, name + ".mask.aggregate", n, width, true);
        this.project = new Linear(params, name + ".mask.project", width, n, true);
        this.embeddingNorm = new LayerNorm(params, name + ".embedding_norm", n);
        this.hidden = new Linear(params, name + ".hidden", n, out, false);
        this.hiddenNorm = new LayerNorm(params, name + ".hidden_norm", out);
    }

    NDArray forward(NDArray x0) {
        NDArray mask = project.forward(Activation.relu(aggregate.forward(x0)));
        NDArray masked = embeddingNorm.forward(x0).mul(mask);
        return Activation.relu(hiddenNorm.forward(hidden.forward(masked)));
    }
}
