package dev.freshet.trainer.metrics;

import java.util.Arrays;

/**
 * Weighted ROC AUC: the probability that a randomly drawn positive scores above a randomly drawn
 * negative, with ties counting one half.
 *
 * <p>AUC only depends on how the model ranks samples, not on calibration, which is why the contract
 * reports it next to log loss and calibration. It is computed exactly as the weighted Mann-Whitney
 * U statistic with average ranks:
 *
 * <pre>
 *   AUC = sum over (positive i, negative j) of w_i * w_j * [s_i &gt; s_j] + 0.5 * [s_i == s_j]
 *         -----------------------------------------------------------------------------
 *                       (sum of positive weight) * (sum of negative weight)
 * </pre>
 *
 * in O(n log n) by sorting the scores once and sweeping groups of tied scores. A label y in [0, 1]
 * contributes positive weight {@code w * y} and negative weight {@code w * (1 - y)}; for the 0/1
 * labels the trainer uses this is exactly the definition above, and giving a row weight 2 is the
 * same as duplicating it.
 */
public final class Auc {

    private Auc() {}

    /**
     * The weighted AUC of the first {@code n} entries.
     *
     * @param scores model scores; any monotone transform gives the same AUC
     * @param labels labels in [0, 1] (normally 0 or 1)
     * @param weights non-negative finite weights, or {@code null} for all 1
     * @param n how many leading entries to use
     * @return the AUC in [0, 1]; NaN when the positive or the negative weight sum is zero (AUC is
     *     undefined with one class), or when any of the n scores is NaN
     * @throws IllegalArgumentException on a negative or non-finite weight, a label outside [0, 1]
     *     or arrays shorter than n
     */
    public static double auc(float[] scores, float[] labels, float[] weights, int n) {
        Inputs.checkCount(n, "scores", scores);
        Inputs.checkCount(n, "labels", labels);
        Inputs.checkOptionalCount(n, "weights", weights);

        long[] keys = new long[n];
        double positive = 0;
        double negative = 0;
        boolean nanScore = false;
        for (int i = 0; i < n; i++) {
            double w = Inputs.weight(weights, i);
            double y = Inputs.label(labels, i);
            positive += w * y;
            negative += w * (1 - y);
            nanScore |= Float.isNaN(scores[i]);
            keys[i] = SortKeys.ascending(scores[i], i);
        }
        if (nanScore || positive == 0 || negative == 0) {
            return Double.NaN;
        }
        Arrays.sort(keys);

        // Sweep tie groups from the lowest score up. Each positive in a group beats every
        // negative below the group and ties with the negatives inside it.
        double pairs = 0;
        double negativeBelow = 0;
        int start = 0;
        while (start < n) {
            int score = SortKeys.scoreKey(keys[start]);
            double groupPositive = 0;
            double groupNegative = 0;
            int end = start;
            while (end < n && SortKeys.scoreKey(keys[end]) == score) {
                int i = SortKeys.index(keys[end]);
                double w = weights == null ? 1.0 : weights[i];
                double y = labels[i];
                groupPositive += w * y;
                groupNegative += w * (1 - y);
                end++;
            }
            pairs += groupPositive * (negativeBelow + 0.5 * groupNegative);
            negativeBelow += groupNegative;
            start = end;
        }
        double auc = pairs / (positive * negative);
        // Summation order differs from the totals', so guard against 1 + 1 ulp.
        return Math.min(1.0, Math.max(0.0, auc));
    }
}
