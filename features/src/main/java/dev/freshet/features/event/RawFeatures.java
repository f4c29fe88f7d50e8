package dev.freshet.features.event;

import dev.freshet.features.util.FrozenMap;
import java.util.List;
import java.util.Map;

/**
 * Features exactly as the impression logged them, before any transform.
 *
 * @param dense dense values; a {@code null} value means the feature was logged as missing
 * @param sparse sparse values; single-valued fields are lists of one
 * @param embeddings embedding vectors
 */
public record RawFeatures(
        Map<String, Double> dense,
        Map<String, List<String>> sparse,
        Map<String, float[]> embeddings) {

    public static final RawFeatures EMPTY = new RawFeatures(Map.of(), Map.of(), Map.of());

    public RawFeatures {
        // FrozenMap keeps logged order and, unlike Map.copyOf, allows null (missing) values. Maps
        // that are already frozen (from another RawFeatures) are shared, not copied.
        dense = FrozenMap.copyOf(dense);
        sparse = FrozenMap.copyOf(sparse);
        embeddings = FrozenMap.copyOf(embeddings);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawFeatures other)) {
            return false;
        }
        if (!dense.equals(other.dense)
                || !sparse.equals(other.sparse)
                || !embeddings.keySet().equals(other.embeddings.keySet())) {
            return false;
        }
        for (Map.Entry<String, float[]> e : embeddings.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), other.embeddings.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 31 * dense.hashCode() + sparse.hashCode();
        for (Map.Entry<String, float[]> e : embeddings.entrySet()) {
            h = 31 * h + e.getKey().hashCode() + java.util.Arrays.hashCode(e.getValue());
        }
        return h;
    }
}
