package dev.freshet.trainer.metrics;

/**
 * Reproducibility as the contract defines it: the standard deviation of HIT@3/save across runs with
 * the same config and data (different seeds). A small value means a HIT@3/save difference between
 * two configs is signal rather than seed noise.
 */
public final class Reproducibility {

    private Reproducibility() {}

    /**
     * The sample standard deviation, with the n - 1 (Bessel) denominator because the runs are a
     * small sample of the possible seeds.
     *
     * @param values one value per run
     * @return the sample standard deviation; 0 for a single value, NaN for none or when any value
     *     is NaN or infinite
     */
    public static double std(double[] values) {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        int n = values.length;
        if (n == 0) {
            return Double.NaN;
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            // Still propagate NaN / infinity in the single value.
            return Double.isFinite(mean) ? 0.0 : Double.NaN;
        }
        // Two passes: subtracting the mean first avoids the cancellation of sum(x^2) - n*mean^2.
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (n - 1));
    }
}
