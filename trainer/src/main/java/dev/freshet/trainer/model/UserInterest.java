package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.ModelLayout;

/**
 * A user-interest vector from a behaviour sequence (issue 11): the rows e_1..e_L of the sequence's
 * ids, with mask m (1 for an element, 0 for padding), pooled into one d-wide vector.
 *
 * <pre>
 * average    u = Σ_l m_l e_l / Σ_l m_l
 * max        u_j = max_{l: m_l = 1} e_lj
 * attention  s_l = w_2 · ReLU(W_1 [e_l, t, e_l ⊙ t, e_l − t] + b_1)     (DIN, Zhou et al. 2018)
 *            a = softmax over the elements with m_l = 1 of s,   u = Σ_l a_l e_l
 * </pre>
 *
 * t is the target field's pooled row (the candidate item). DIN's paper keeps the weights
 * unnormalized to preserve the intensity of interest; here they are a softmax so that u stays a
 * convex combination of rows, on the same scale as the other pooling modes and independent of the
 * sequence length (u is L2-normalized next either way, and a bounded u keeps the finiteness gate
 * quiet on long sequences). ReLU, not DIN's PReLU/Dice, like every other hidden layer here.
 */
final class UserInterest {

    private final ModelConfig.Pooling pooling;
    private final int sequenceField;
    private final int targetField;
    private final Linear hidden;
    private final Linear score;

    /** Fails naming the key when the sequence or target field is not in the layout. */
    UserInterest(Params params, ModelLayout layout, ModelConfig.UserInterest config, long dim) {
        this.pooling = config.pooling();
        this.sequenceField = layout.sparseIndex("user_interest.sequence", config.sequence());
        this.targetField = layout.sparseIndex("user_interest.target", config.target());
        if (pooling == ModelConfig.Pooling.ATTENTION) {
            this.hidden =
                    new Linear(
                            params,
                            "interest.attention.hidden",
                            4 * dim,
                            config.attentionHidden(),
                            true);
            // No bias: the softmax is blind to a shift of every score.
            this.score =
                    new Linear(
                            params, "interest.attention.score", config.attentionHidden(), 1, false);
        } else {
            this.hidden = null;
            this.score = null;
        }
    }

    /**
     * The pooled sparse block [B, F, d] with the user-interest vector in the sequence field's slot;
     * the target is that block's (host-pooled) target row.
     */
    NDArray pooled(ModelInputs in) {
        NDArray target = in.pooled().get(new NDIndex(":, {}, :", targetField));
        NDArray interest = forward(in.sequence(), in.sequenceMask(), target);
        return replaceSlot(in.pooled(), sequenceField, interest);
    }

    /**
     * @param sequence [B, L, d] rows, padding anywhere the mask is 0
     * @param mask [B, L], at least one 1 per sample
     * @param target [B, d], read by attention only
     * @return [B, d]
     */
    NDArray forward(NDArray sequence, NDArray mask, NDArray target) {
        NDArray m = mask.expandDims(2);
        return switch (pooling) {
            case AVERAGE -> sequence.mul(m).sum(new int[] {1}).div(mask.sum(new int[] {1}, true));
            case MAX -> masked(sequence, m.broadcast(sequence.getShape())).max(new int[] {1});
            case ATTENTION -> {
                NDArray t = target.expandDims(1).broadcast(sequence.getShape());
                NDArray features =
                        NDArrays.concat(
                                new NDList(sequence, t, sequence.mul(t), sequence.sub(t)), 2);
                NDArray s =
                        score.forward(Activation.relu(hidden.forward(features)))
                                .squeeze(2); // [B, L]
                NDArray weights = masked(s, mask).softmax(1);
                yield sequence.mul(weights.expandDims(2)).sum(new int[] {1});
            }
        };
    }

    /** x where the mask is 1, −∞ where it is 0 (so max and softmax never pick padding). */
    private static NDArray masked(NDArray x, NDArray mask) {
        NDArray minusInf = x.getManager().full(x.getShape(), Float.NEGATIVE_INFINITY);
        return NDArrays.where(mask.toType(DataType.BOOLEAN, false), x, minusInf);
    }

    /** {@code pooled} [B, F, d] with slot {@code field} replaced by {@code interest} [B, d]. */
    private static NDArray replaceSlot(NDArray pooled, int field, NDArray interest) {
        long f = pooled.getShape().get(1);
        NDList parts = new NDList();
        if (field > 0) {
            parts.add(pooled.get(new NDIndex(":, 0:{}, :", field)));
        }
        parts.add(interest.expandDims(1));
        if (field < f - 1) {
            parts.add(pooled.get(new NDIndex(":, {}:, :", field + 1)));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }
}
