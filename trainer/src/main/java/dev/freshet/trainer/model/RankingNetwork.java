package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.ModelLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The dense network of the ranking model (PRODUCT.md section 5), from the pooled sparse rows and
 * the dense and embedding features to K task logits:
 *
 * <pre>
 * x0 = [ missing-value layer(dense) | L2(pooled sparse field)... | L2(project?(embedding))... ]
 *      with user_interest, the sequence field's slot holds UserInterest(sequence rows, target)
 * h  = interaction(x0)               DCNv2 stack | low-rank DCNv2 | parallel MaskNet + DCNv2
 *                                    | parallel DCNv2 stacks | sequential MaskNet + DCNv2
 * h  = [h | x0] if concat_input
 * h  = [h | Bi-Interaction(L2(pooled sparse fields))] if bi_interaction   (NFM)
 * logits = MLP(h)                    shared hidden layers, one logit per task
 * </pre>
 *
 * The embedding tables are not here: {@code SparseEmbeddings} pools them on the host.
 */
public final class RankingNetwork {

    private final Params params = new Params();
    private final MissingValueLayer missing;
    private final List<Linear> projections = new ArrayList<>();
    private final int[] embeddingOffsets;
    private final Interaction interaction;
    private final boolean concatInput;
    private final boolean biInteraction;
    private final Mlp mlp;
    private final UserInterest userInterest;
    private final long inputDim;

    public RankingNetwork(ModelLayout layout, ModelConfig config) {
        int denseCount = layout.dense().size();
        this.missing = denseCount == 0 ? null : new MissingValueLayer(params, denseCount);
        long n = denseCount + (long) layout.sparse().size() * config.embeddingDim();
        embeddingOffsets = new int[layout.embeddings().size() + 1];
        for (int j = 0; j < layout.embeddings().size(); j++) {
            ModelLayout.EmbeddingField e = layout.embeddings().get(j);
            embeddingOffsets[j + 1] = embeddingOffsets[j] + e.dim();
            if (e.dim() > config.projectAbove()) {
                projections.add(
                        new Linear(
                                params,
                                "projection." + e.name(),
                                e.dim(),
                                config.projectDim(),
                                false));
                n += config.projectDim();
            } else {
                projections.add(null);
                n += e.dim();
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("the feature spec has no features to learn from");
        }
        this.inputDim = n;
        ModelConfig.Interaction ic = config.interaction();
        this.interaction =
                switch (ic.type()) {
                    case DCN -> new CrossNetwork(params, "cross", n, ic.crossLayers(), 0);
                    case DCN_LOW_RANK ->
                            new CrossNetwork(params, "cross", n, ic.crossLayers(), ic.rank());
                    case MASKNET_PARALLEL ->
                            new ParallelMaskNet(
                                    params,
                                    n,
                                    ic.maskBlocks(),
                                    ic.projectionRatio(),
                                    ic.maskOutputDim(),
                                    ic.crossLayers());
                    case DCN_PARALLEL ->
                            new ParallelCrossNetwork(
                                    params, "cross", n, ic.parallelStacks(), ic.crossLayers());
                    case MASKNET_SEQUENTIAL ->
                            new SequentialMaskNet(
                                    params,
                                    n,
                                    ic.maskBlocks(),
                                    ic.projectionRatio(),
                                    ic.maskOutputDim(),
                                    ic.crossLayers());
                };
        this.concatInput = config.concatInput();
        this.biInteraction = config.biInteraction();
        if (biInteraction && layout.sparse().size() < 2) {
            throw new IllegalArgumentException(
                    "bi_interaction: needs at least two sparse fields to cross, the feature spec has "
                            + layout.sparse().size());
        }
        long mlpIn =
                interaction.outputDim()
                        + (concatInput ? n : 0)
                        + (biInteraction ? config.embeddingDim() : 0);
        this.mlp = new Mlp(params, mlpIn, config.mlp(), config.tasks().size());
        // Declared last, so every other parameter starts as it would without it.
        this.userInterest =
                config.userInterest() == null
                        ? null
                        : new UserInterest(
                                params, layout, config.userInterest(), config.embeddingDim());
    }

    public Params params() {
        return params;
    }

    /** Width of the feature embedding x0. */
    public long inputDim() {
        return inputDim;
    }

    /**
     * The feature embedding x0, [B, n].
     *
     * @param fields the sparse fields' embeddings, normalized, [B, F, dim], or null
     */
    NDArray featureEmbedding(ModelInputs in, NDArray fields) {
        NDList parts = new NDList();
        if (missing != null) {
            parts.add(missing.forward(in.dense(), in.missing()));
        }
        if (fields != null) {
            parts.add(fields.reshape(fields.getShape().get(0), -1));
        }
        for (int j = 0; j < projections.size(); j++) {
            NDArray e =
                    in.embeddings()
                            .get(
                                    new NDIndex(
                                            ":, {}:{}",
                                            embeddingOffsets[j],
                                            embeddingOffsets[j + 1]));
            Linear projection = projections.get(j);
            parts.add(L2Normalize.forward(projection == null ? e : projection.forward(e)));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }

    /** K logits per sample, [B, K]. */
    public NDArray forward(ModelInputs in) {
        NDArray pooled = userInterest == null ? in.pooled() : userInterest.pooled(in);
        NDArray fields = pooled == null ? null : L2Normalize.forward(pooled);
        NDArray x0 = featureEmbedding(in, fields);
        NDArray h = interaction.forward(x0);
        if (concatInput) {
            h = h.concat(x0, 1);
        }
        if (biInteraction) {
            h = h.concat(BiInteraction.forward(fields), 1);
        }
        return mlp.forward(h);
    }
}
