package dev.freshet.trainer.metrics;

/**
 * Weighted mean binary cross-entropy, {@code -sum w * (y ln p + (1 - y) ln(1 - p)) / sum w}.
 *
 * <p>Unlike AUC it punishes confident wrong probabilities, so it tracks what the ranking formula
 * actually consumes. Probabilities are clamped to [{@value #EPSILON}, 1 - {@value #EPSILON}] first,
 * so that a single saturated prediction costs at most {@code -ln(1e-7) ≈ 16.1} instead of infinity
 * and one bad sample cannot swamp the window.
 */
public final class LogLoss {

    /** The clamping distance from 0 and 1. */
    public static final double EPSILON = 1e-7;

    private LogLoss() {}

    /**
     * The weighted log loss of the first {@code n} entries.
     *
     * @param probabilities predicted probabilities; clamped, a NaN makes the result NaN
     * @param labels labels in [0, 1]
     * @param weights non-negative finite weights, or {@code null} for all 1
     * @param n how many leading entries to use
     * @return the weighted mean loss, NaN when the weight sum is zero (including n = 0)
     * @throws IllegalArgumentException on a negative or non-finite weight, a label outside [0, 1]
     *     or arrays shorter than n
     */
    public static double logLoss(float[] probabilities, float[] labels, float[] weights, int n) {
        Inputs.checkCount(n, "probabilities", probabilities);
        Inputs.checkCount(n, "labels", labels);
        Inputs.checkOptionalCount(n, "weights", weights);
        double loss = 0;
        double weightSum = 0;
        for (int i = 0; i < n; i++) {
            double w = Inputs.weight(weights, i);
            double y = Inputs.label(labels, i);
            // Math.min/max keep NaN, so a NaN prediction gives a NaN loss.
            double p = Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i]));
            loss -= w * (y * Math.log(p) + (1 - y) * Math.log(1 - p));
            weightSum += w;
        }
        return weightSum == 0 ? Double.NaN : loss / weightSum;
    }
}
