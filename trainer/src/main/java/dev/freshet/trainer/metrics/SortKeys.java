package dev.freshet.trainer.metrics;

/**
 * Packs a float score and an int index into one {@code long} whose natural order is the order we
 * want to rank by, so that ranking n samples is one {@code Arrays.sort(long[])}: no boxing, no
 * comparator, no per-sample objects.
 */
final class SortKeys {

    private SortKeys() {}

    /**
     * An int whose signed order equals the numeric order of the float: {@code a < b} iff {@code
     * sortable(a) < sortable(b)}, and {@code -0.0} and {@code 0.0} map to the same value so they
     * tie, as they compare equal. NaN must be handled by the caller.
     */
    static int sortable(float f) {
        int bits = Float.floatToIntBits(f == 0f ? 0f : f);
        // Negative floats: flip the magnitude bits so a larger magnitude sorts lower.
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** Sorts ascending by score, then ascending by index. */
    static long ascending(float score, int index) {
        return ((long) sortable(score) << 32) | (index & 0xffffffffL);
    }

    /**
     * Sorts descending by score, then ascending by index (earlier first); NaN scores rank below
     * every number, including negative infinity.
     */
    static long descending(float score, int index) {
        int key = Float.isNaN(score) ? Integer.MIN_VALUE : sortable(score);
        return ((long) ~key << 32) | (index & 0xffffffffL);
    }

    /** The score part of a key, equal for two keys iff their scores tie. */
    static int scoreKey(long key) {
        return (int) (key >> 32);
    }

    /** The index part of a key. */
    static int index(long key) {
        return (int) key;
    }
}
