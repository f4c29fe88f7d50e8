package dev.freshet.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import dev.freshet.trainer.config.ModelConfig;

/**
 * The training objective: per task, binary cross-entropy with logits weighted by each sample's
 * weight and averaged over the samples that carry that task's label; tasks summed with their
 * business weights; plus, when configured, Meituan's KL bound between p(a)·p(b) and p(target).
 *
 * <p>BCE is computed in the stable form max(z, 0) − z·y + log(1 + e^−|z|), finite for any z. The
 * symmetric KL between Bernoulli(p) and Bernoulli(q) has the closed form (p − q)(logit p − logit
 * q), with p and q clamped to [1e-6, 1 − 1e-6].
 */
public final class MultiTaskLoss {

    static final float PROBABILITY_CLAMP = 1e-6f;

    private final float[] taskWeights;
    private final int klA;
    private final int klB;
    private final int klTarget;
    private final float klWeight;

    public MultiTaskLoss(ModelConfig config) {
        taskWeights = new float[config.tasks().size()];
        for (int k = 0; k < taskWeights.length; k++) {
            taskWeights[k] = (float) config.tasks().get(k).weight();
        }
        ModelConfig.KlBound kl = config.klBound();
        if (kl == null) {
            klA = klB = klTarget = -1;
            klWeight = 0;
        } else {
            klA = config.taskIndex(kl.product().get(0));
            klB = config.taskIndex(kl.product().get(1));
            klTarget = config.taskIndex(kl.target());
            klWeight = (float) kl.weight();
        }
    }

    /**
     * @param total the scalar to minimize
     * @param perTask [K] each task's weighted mean BCE (before task weights)
     * @param kl the KL bound term before its weight, or null when not configured
     */
    public record Value(NDArray total, NDArray perTask, NDArray kl) {}

    /**
     * @param logits [B, K]
     * @param labels [B, K] in {0, 1}
     * @param labelMask [B, K], 1 where the label is present
     * @param weights [B] sample weights
     */
    public Value compute(NDArray logits, NDArray labels, NDArray labelMask, NDArray weights) {
        NDManager manager = logits.getManager();
        NDArray bce =
                Activation.relu(logits)
                        .sub(logits.mul(labels))
                        .add(Activation.softPlus(logits.abs().neg()));
        NDArray w = labelMask.mul(weights.expandDims(1));
        NDArray perTask = bce.mul(w).sum(new int[] {0}).div(w.sum(new int[] {0}).maximum(1e-12f));
        NDArray total = perTask.mul(manager.create(taskWeights)).sum();
        NDArray kl = null;
        if (klWeight > 0) {
            kl = symmetricKl(logits, weights);
            total = total.add(kl.mul(klWeight));
        }
        return new Value(total, perTask, kl);
    }

    private NDArray symmetricKl(NDArray logits, NDArray weights) {
        NDArray p = Activation.sigmoid(logits);
        NDArray product = column(p, klA).mul(column(p, klB));
        NDArray target = column(p, klTarget);
        float lo = PROBABILITY_CLAMP;
        float hi = 1 - PROBABILITY_CLAMP;
        NDArray a = product.clip(lo, hi);
        NDArray b = target.clip(lo, hi);
        NDArray logitA = a.log().sub(a.neg().add(1).log());
        NDArray logitB = b.log().sub(b.neg().add(1).log());
        NDArray perSample = a.sub(b).mul(logitA.sub(logitB));
        return perSample.mul(weights).sum().div(weights.sum().maximum(1e-12f));
    }

    private static NDArray column(NDArray x, int k) {
        return x.get(new NDIndex(":, {}", k));
    }
}
