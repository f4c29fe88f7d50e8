package dev.freshet.features.spec;

import java.util.Arrays;
import java.util.Objects;

/**
 * Equal-frequency bucketing of one dense feature. {@code boundaries} are the cut points between
 * buckets (strictly increasing, fitted as quantiles); a value in bucket b of n = boundaries + 1
 * becomes b/n, in [0, 1). Ties in the data collapse equal cut points, so a feature whose values are
 * all equal has one bucket and always maps to 0.
 */
public record DenseSpec(String name, double[] boundaries) {

    public DenseSpec {
        Objects.requireNonNull(name, "name");
        boundaries = boundaries.clone();
        for (int i = 0; i < boundaries.length; i++) {
            if (!Double.isFinite(boundaries[i])) {
                throw new IllegalArgumentException(name + ": boundary " + i + " is not finite");
            }
            if (i > 0 && boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException(name + ": boundaries must strictly increase");
            }
        }
    }

    public int buckets() {
        return boundaries.length + 1;
    }

    /**
     * Dense values are bucketed at float precision, the precision samples carry them in. The
     * pipeline fits and transforms values read back from samples, serving transforms the doubles of
     * raw JSON: rounding both here, in the one shared place, keeps a value that lies just below a
     * cut point from landing in different buckets in training and in serving.
     */
    public static double atSamplePrecision(double value) {
        return (float) value;
    }

    /** The bucket of {@code value}: how many boundaries are at or below it, at float precision. */
    public int bucket(double value) {
        int i = Arrays.binarySearch(boundaries, atSamplePrecision(value));
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The model input for {@code value}: bucket / buckets, in [0, 1). */
    public float normalize(double value) {
        return (float) bucket(value) / buckets();
    }

    @Override
    public double[] boundaries() {
        return boundaries.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseSpec d
                && name.equals(d.name)
                && Arrays.equals(boundaries, d.boundaries);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(boundaries);
    }

    @Override
    public String toString() {
        return "DenseSpec[" + name + ", " + buckets() + " buckets]";
    }
}
