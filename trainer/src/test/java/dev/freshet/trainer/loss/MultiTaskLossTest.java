package dev.freshet.trainer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The multi-task loss against values worked out by hand. BCE with logits is bce(z, y) = log(1 +
 * e^z) - z y; the symmetric Bernoulli KL is (p - q)(logit p - logit q).
 */
class MultiTaskLossTest {

    private static final ModelConfig TWO_TASKS =
            ModelConfigFile.parse("tasks: [{name: click, weight: 1.0}, {name: save, weight: 2.0}]");

    /** Deliberately not in the kl_bound's order, so the tasks must be looked up by name. */
    private static final ModelConfig KL_TASKS =
            ModelConfigFile.parse(
                    """
                    tasks: [{name: pay}, {name: click}, {name: conversion}]
                    kl_bound: {product: [click, conversion], target: pay, weight: 0.5}
                    """);

    private static final int PAY = 0;
    private static final int CLICK = 1;
    private static final int CONVERSION = 2;

    /**
     * Two samples (weights 1 and 3) x two tasks (click 1.0, save 2.0); sample 1 has no save label.
     *
     * <pre>
     * click: bce(2, 1) = log(1 + e^-2) = 0.1269280, bce(-0.5, 0) = log(1 + e^-0.5) = 0.4740770
     *        (1 * 0.1269280 + 3 * 0.4740770) / (1 + 3) = 0.3872897
     * save:  bce(-1, 0) = log(1 + e^-1) = 0.3132617, sample 1 masked out (its bce(3, 0) = 3.0486
     *        would count otherwise): 1 * 0.3132617 / 1 = 0.3132617
     * total: 1.0 * 0.3872897 + 2.0 * 0.3132617 = 1.0138131
     * </pre>
     */
    @Test
    void weightedMaskedPerTaskLossAndTotalByHand() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            MultiTaskLoss.Value v =
                    new MultiTaskLoss(TWO_TASKS)
                            .compute(
                                    matrix(m, 2, -1, -0.5f, 3),
                                    matrix(m, 1, 0, 0, 0),
                                    matrix(m, 1, 1, 1, 0),
                                    m.create(new float[] {1, 3}));
            double click = (Math.log(1 + Math.exp(-2)) + 3 * Math.log(1 + Math.exp(-0.5))) / 4;
            double save = Math.log(1 + Math.exp(-1));
            assertThat(click).isCloseTo(0.3872897, within(1e-7));
            assertThat(save).isCloseTo(0.3132617, within(1e-7));
            assertThat(v.perTask().getShape()).isEqualTo(new Shape(2));
            assertThat(v.perTask().toFloatArray()[0]).isCloseTo((float) click, within(1e-6f));
            assertThat(v.perTask().toFloatArray()[1]).isCloseTo((float) save, within(1e-6f));
            assertThat(v.total().getFloat()).isCloseTo((float) (click + 2 * save), within(1e-6f));
            assertThat(v.kl()).isNull();
        }
    }

    /**
     * Logits of ±100 and ±1e4 (e^1e4 overflows any float), weights 1 and 1:
     *
     * <pre>
     * click: bce(100, 0) = 100 + log(1 + e^-100) = 100,  bce(1e4, 1) = log(1 + e^-1e4) = 0  → 50
     * save:  bce(-100, 0) = log(1 + e^-100) = 0,         bce(-1e4, 1) = 1e4                → 5000
     * total: 50 + 2 * 5000 = 10050
     * d total / d z = task weight * w * (sigmoid(z) - y) / sum w:
     *        click [0.5, 0], save [2 * 0, 2 * (-1) / 2] = [0, -1]
     * </pre>
     */
    @Test
    void extremeLogitsStayFiniteAndCorrect() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            NDArray logits = matrix(m, 100, -100, 1e4f, -1e4f);
            logits.setRequiresGradient(true);
            MultiTaskLoss loss = new MultiTaskLoss(TWO_TASKS);
            float[] perTask;
            float total;
            try (GradientCollector gc = TorchRuntime.engine(1).newGradientCollector()) {
                MultiTaskLoss.Value v =
                        loss.compute(
                                logits,
                                matrix(m, 0, 0, 1, 1),
                                matrix(m, 1, 1, 1, 1),
                                m.create(new float[] {1, 1}));
                perTask = v.perTask().toFloatArray();
                total = v.total().getFloat();
                gc.backward(v.total());
            }
            assertThat(perTask[0]).isCloseTo(50f, within(1e-4f));
            assertThat(perTask[1]).isCloseTo(5000f, within(1e-2f));
            assertThat(total).isCloseTo(10050f, within(1e-2f));
            assertThat(logits.getGradient().toFloatArray())
                    .containsExactly(new float[] {0.5f, 0f, 0f, -1f}, within(1e-6f));
        }
    }

    /**
     * Tasks [pay, click, conversion], weights 1 and 3, KL weight 0.5.
     *
     * <pre>
     * sample 0: p(click) = σ(0) = 0.5, p(conversion) = σ(0) = 0.5 → product 0.25; p(pay) = σ(ln 1/9) = 0.1
     *           (0.25 - 0.1)(ln(0.25 / 0.75) - ln(0.1 / 0.9)) = 0.15 ln 3 = 0.1647918
     * sample 1: p(click) = σ(ln 4) = 0.8, p(conversion) = 0.5 → product 0.4; p(pay) = σ(ln 1.5) = 0.6
     *           (0.4 - 0.6)(ln(0.4 / 0.6) - ln(0.6 / 0.4)) = 0.4 ln 1.5 = 0.1621860
     * KL = (1 * 0.1647918 + 3 * 0.1621860) / 4 = 0.1628375
     * total = sum_k perTask_k + 0.5 * KL
     * </pre>
     */
    @Test
    void klBoundByHand() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            float[] logits = new float[6];
            set(logits, 0, PAY, Math.log(1.0 / 9));
            set(logits, 0, CLICK, 0);
            set(logits, 0, CONVERSION, 0);
            set(logits, 1, PAY, Math.log(1.5));
            set(logits, 1, CLICK, Math.log(4));
            set(logits, 1, CONVERSION, 0);
            MultiTaskLoss.Value v = compute(m, KL_TASKS, logits, new float[] {1, 3});

            double kl = (0.15 * Math.log(3) + 3 * 0.4 * Math.log(1.5)) / 4;
            assertThat(kl).isCloseTo(0.1628375, within(1e-7));
            assertThat(v.kl()).isNotNull();
            assertThat((double) v.kl().getFloat()).isCloseTo(kl, within(1e-5));
            float[] perTask = v.perTask().toFloatArray();
            double tasks = perTask[0] + perTask[1] + perTask[2];
            assertThat((double) v.total().getFloat()).isCloseTo(tasks + 0.5 * kl, within(1e-5));
        }
    }

    /**
     * p(click) p(conversion) = p(pay) in every sample: 0.8 * 0.5 = 0.4 and 0.6 * 0.5 = 0.3, so the
     * KL bound adds nothing; moving p(pay) of one sample off the product makes it positive again.
     */
    @Test
    void klIsZeroWhenTheProductMatchesTheTarget() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            float[] logits = new float[6];
            set(logits, 0, CLICK, Math.log(0.8 / 0.2));
            set(logits, 0, CONVERSION, 0);
            set(logits, 0, PAY, Math.log(0.4 / 0.6));
            set(logits, 1, CLICK, Math.log(0.6 / 0.4));
            set(logits, 1, CONVERSION, 0);
            set(logits, 1, PAY, Math.log(0.3 / 0.7));
            float[] weights = {1, 3};
            MultiTaskLoss.Value v = compute(m, KL_TASKS, logits, weights);
            assertThat(v.kl().getFloat()).isCloseTo(0f, within(1e-6f));
            float[] perTask = v.perTask().toFloatArray();
            assertThat(v.total().getFloat())
                    .isCloseTo(perTask[0] + perTask[1] + perTask[2], within(1e-6f));

            // p(pay) of sample 0 from 0.4 to 0.5: (0.4 - 0.5)(ln(0.4 / 0.6) - 0) / 4 = 0.0101366.
            set(logits, 0, PAY, 0);
            double expected = -0.1 * Math.log(0.4 / 0.6) / 4;
            assertThat((double) compute(m, KL_TASKS, logits, weights).kl().getFloat())
                    .isCloseTo(expected, within(1e-6));
        }
    }

    /**
     * p(click) = σ(-100) makes the product 0 and p(pay) = σ(100) is 1; both are clamped to [1e-6, 1
     * - 1e-6], so the term is (1 - 2e-6) * 2 ln((1 - 1e-6) / 1e-6) = 27.631 instead of infinity
     * (27.618 in float32, where 1 - 1e-6 rounds to 0.999999 with 1 - p = 1.0133e-6).
     */
    @Test
    void klOfSaturatedProbabilitiesIsClampedAndFinite() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            float[] logits = new float[3];
            set(logits, 0, CLICK, -100);
            set(logits, 0, CONVERSION, 0);
            set(logits, 0, PAY, 100);
            NDArray z = m.create(logits, new Shape(1, 3));
            z.setRequiresGradient(true);
            float kl;
            try (GradientCollector gc = TorchRuntime.engine(1).newGradientCollector()) {
                MultiTaskLoss.Value v =
                        new MultiTaskLoss(KL_TASKS)
                                .compute(
                                        z,
                                        m.create(new float[] {0, 0, 0}, new Shape(1, 3)),
                                        m.create(new float[] {1, 1, 1}, new Shape(1, 3)),
                                        m.create(new float[] {1}));
                kl = v.kl().getFloat();
                gc.backward(v.total());
            }
            assertThat((double) kl)
                    .isCloseTo(2 * (1 - 2e-6) * Math.log((1 - 1e-6) / 1e-6), within(0.05));
            for (float g : z.getGradient().toFloatArray()) {
                assertThat(g).isFinite();
            }
        }
    }

    private static MultiTaskLoss.Value compute(
            NDManager m, ModelConfig config, float[] logits, float[] weights) {
        int b = weights.length;
        int k = config.tasks().size();
        float[] labels = new float[b * k];
        float[] mask = new float[b * k];
        Arrays.fill(mask, 1f);
        labels[0] = 1; // any labels: the KL term does not read them
        return new MultiTaskLoss(config)
                .compute(
                        m.create(logits, new Shape(b, k)),
                        m.create(labels, new Shape(b, k)),
                        m.create(mask, new Shape(b, k)),
                        m.create(weights));
    }

    private static void set(float[] logits, int sample, int task, double logit) {
        logits[sample * 3 + task] = (float) logit;
    }

    /** A 2 x 2 matrix, row-major. */
    private static NDArray matrix(NDManager m, float a, float b, float c, float d) {
        return m.create(new float[] {a, b, c, d}, new Shape(2, 2));
    }
}
