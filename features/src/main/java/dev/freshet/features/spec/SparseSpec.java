package dev.freshet.features.spec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * Low-frequency filtering and field-aware hashing of one sparse field. Values seen at least {@code
 * minCount} times in the fitting window are frequent; everything else (rare or never seen) maps to
 * the field's out-of-vocabulary id {@link #OOV}. Frequent values hash (murmur3, seeded, with the
 * field name mixed in so equal strings in different fields do not collide systematically) into ids
 * 1 .. buckets - 1.
 *
 * <p>The frequent set is kept as sorted 64-bit fingerprints, not strings: compact, and all the
 * transform needs.
 */
public record SparseSpec(String name, int buckets, long minCount, long[] frequent) {

    /** The id every rare or unseen value maps to. */
    public static final long OOV = 0;

    public SparseSpec {
        Objects.requireNonNull(name, "name");
        if (buckets < 2) {
            throw new IllegalArgumentException(name + ": buckets must be at least 2 (OOV + one)");
        }
        if (minCount < 1) {
            throw new IllegalArgumentException(name + ": min_count must be at least 1");
        }
        frequent = frequent.clone();
        Arrays.sort(frequent);
    }

    /** The 64-bit fingerprint of a value of field {@code name} under {@code seed}. */
    public static long fingerprint(String field, String value, long seed) {
        byte[] bytes = (field + '\u0000' + value).getBytes(StandardCharsets.UTF_8);
        return MurmurHash3.hash(bytes, seed)[0];
    }

    public boolean isFrequent(long fingerprint) {
        return Arrays.binarySearch(frequent, fingerprint) >= 0;
    }

    /** The model id of {@code value}: OOV if rare, else its hash bucket in 1 .. buckets - 1. */
    public long id(String value, long seed) {
        long fp = fingerprint(name, value, seed);
        if (!isFrequent(fp)) {
            return OOV;
        }
        return 1 + Math.floorMod(fp, (long) buckets - 1);
    }

    @Override
    public long[] frequent() {
        return frequent.clone();
    }

    public int vocabularySize() {
        return frequent.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseSpec s
                && name.equals(s.name)
                && buckets == s.buckets
                && minCount == s.minCount
                && Arrays.equals(frequent, s.frequent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, buckets, minCount) * 31 + Arrays.hashCode(frequent);
    }

    @Override
    public String toString() {
        return "SparseSpec["
                + name
                + ", "
                + buckets
                + " buckets, "
                + frequent.length
                + " frequent]";
    }
}
