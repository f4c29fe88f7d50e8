package dev.freshet.trainer.metrics;

/**
 * Calibration = weighted mean prediction / weighted mean label.
 *
 * <p>The ranking formula multiplies task probabilities together, so a task whose probabilities are
 * systematically too high or too low skews the blend even when its AUC is fine. A value of 1 means
 * the model predicts as many positives as there are; 1.2 means 20% too many.
 */
public final class Calibration {

    private Calibration() {}

    /**
     * The calibration of the first {@code n} entries; the weight sums cancel, so this is {@code
     * sum(w * p) / sum(w * y)}.
     *
     * @param probabilities predicted probabilities (not validated; a NaN gives NaN)
     * @param labels labels in [0, 1]
     * @param weights non-negative finite weights, or {@code null} for all 1
     * @param n how many leading entries to use
     * @return the ratio, NaN when the weighted mean label is zero or undefined (no positives, or
     *     zero total weight)
     * @throws IllegalArgumentException on a negative or non-finite weight, a label outside [0, 1]
     *     or arrays shorter than n
     */
    public static double calibration(
            float[] probabilities, float[] labels, float[] weights, int n) {
        Inputs.checkCount(n, "probabilities", probabilities);
        Inputs.checkCount(n, "labels", labels);
        Inputs.checkOptionalCount(n, "weights", weights);
        double predicted = 0;
        double actual = 0;
        for (int i = 0; i < n; i++) {
            double w = Inputs.weight(weights, i);
            predicted += w * probabilities[i];
            actual += w * Inputs.label(labels, i);
        }
        return actual == 0 ? Double.NaN : predicted / actual;
    }

    /**
     * The weighted mean of the first {@code n} values, reported next to calibration so a ratio far
     * from 1 can be read as "predicts 2% where 1% happen" rather than just "2.0".
     *
     * @param values the values (not validated)
     * @param weights non-negative finite weights, or {@code null} for all 1
     * @param n how many leading entries to use
     * @return the weighted mean, NaN when the weight sum is zero (including n = 0)
     */
    public static double weightedMean(float[] values, float[] weights, int n) {
        Inputs.checkCount(n, "values", values);
        Inputs.checkOptionalCount(n, "weights", weights);
        double sum = 0;
        double weightSum = 0;
        for (int i = 0; i < n; i++) {
            double w = Inputs.weight(weights, i);
            sum += w * values[i];
            weightSum += w;
        }
        return weightSum == 0 ? Double.NaN : sum / weightSum;
    }
}
