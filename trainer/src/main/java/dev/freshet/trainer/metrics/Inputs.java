package dev.freshet.trainer.metrics;

/**
 * Argument checks shared by the metric functions, so that every metric rejects the same bad inputs
 * with the same messages.
 */
final class Inputs {

    private Inputs() {}

    /** Checks that {@code n} is non-negative and that {@code array} has at least n entries. */
    static void checkCount(int n, String name, float[] array) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (array.length < n) {
            throw new IllegalArgumentException(
                    name + " has " + array.length + " entries, fewer than n = " + n);
        }
    }

    /** Like {@link #checkCount} but {@code null} is allowed (for optional weight arrays). */
    static void checkOptionalCount(int n, String name, float[] array) {
        if (array != null) {
            checkCount(n, name, array);
        }
    }

    /** The weight of entry i: 1 when {@code weights} is null, else a finite value >= 0. */
    static double weight(float[] weights, int i) {
        if (weights == null) {
            return 1.0;
        }
        float w = weights[i];
        if (!(w >= 0f) || Float.isInfinite(w)) {
            throw new IllegalArgumentException("weight at " + i + " must be finite and >= 0: " + w);
        }
        return w;
    }

    /** The label of entry i, which must lie in [0, 1]. */
    static double label(float[] labels, int i) {
        float y = labels[i];
        if (!(y >= 0f && y <= 1f)) {
            throw new IllegalArgumentException("label at " + i + " must be in [0, 1]: " + y);
        }
        return y;
    }

    /** The label of entry i, which must be exactly 0 or 1; returns whether it is 1. */
    static boolean binaryLabel(float[] labels, int i) {
        float y = labels[i];
        if (y != 0f && y != 1f) {
            throw new IllegalArgumentException("label at " + i + " must be 0 or 1: " + y);
        }
        return y == 1f;
    }
}
