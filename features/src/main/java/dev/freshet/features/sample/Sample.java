package dev.freshet.features.sample;

import dev.freshet.features.util.FrozenMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One labeled training sample, the unit the trainer consumes from {@code samples}.
 *
 * <p>Under {@link #RAW_SPEC} no feature transform has been applied: {@code dense} holds the logged
 * values, {@code sparse} is empty and {@code sparseRaw} holds the logged strings. Once a
 * FeatureSpec applies, {@code specVersion} is its content hash, {@code dense} holds bucketized
 * values in [0,1) and {@code sparse} holds hashed ids.
 */
public record Sample(
        String impressionId,
        String requestId,
        String userId,
        String itemId,
        Integer position,
        long eventTime,
        long emitTime,
        String specVersion,
        Map<String, Integer> labels,
        float weight,
        Map<String, Float> dense,
        List<String> denseMissing,
        Map<String, long[]> sparse,
        Map<String, List<String>> sparseRaw,
        Map<String, float[]> embeddings) {

    /** The spec version of samples whose features are carried through untransformed. */
    public static final String RAW_SPEC = "raw";

    public Sample {
        Objects.requireNonNull(impressionId, "impressionId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(specVersion, "specVersion");
        labels = frozen(labels);
        dense = frozen(dense);
        denseMissing = List.copyOf(denseMissing); // returns an already immutable list as it is
        sparse = frozen(sparse);
        sparseRaw = frozen(sparseRaw);
        embeddings = frozen(embeddings);
    }

    /** This sample under another spec version (same features). */
    public Sample withSpecVersion(String version) {
        return new Sample(
                impressionId,
                requestId,
                userId,
                itemId,
                position,
                eventTime,
                emitTime,
                version,
                labels,
                weight,
                dense,
                denseMissing,
                sparse,
                sparseRaw,
                embeddings);
    }

    public Sample withLabels(Map<String, Integer> newLabels) {
        return new Sample(
                impressionId,
                requestId,
                userId,
                itemId,
                position,
                eventTime,
                emitTime,
                specVersion,
                newLabels,
                weight,
                dense,
                denseMissing,
                sparse,
                sparseRaw,
                embeddings);
    }

    public Sample withWeight(float newWeight) {
        return new Sample(
                impressionId,
                requestId,
                userId,
                itemId,
                position,
                eventTime,
                emitTime,
                specVersion,
                labels,
                newWeight,
                dense,
                denseMissing,
                sparse,
                sparseRaw,
                embeddings);
    }

    /** This sample with other sparse ids (a field added or replaced). */
    public Sample withSparse(Map<String, long[]> newSparse) {
        return new Sample(
                impressionId,
                requestId,
                userId,
                itemId,
                position,
                eventTime,
                emitTime,
                specVersion,
                labels,
                weight,
                dense,
                denseMissing,
                newSparse,
                sparseRaw,
                embeddings);
    }

    /** This sample stamped with another event and emit time (replays, load generators). */
    public Sample withTimes(long newEventTime, long newEmitTime) {
        return new Sample(
                impressionId,
                requestId,
                userId,
                itemId,
                position,
                newEventTime,
                newEmitTime,
                specVersion,
                labels,
                weight,
                dense,
                denseMissing,
                sparse,
                sparseRaw,
                embeddings);
    }

    /**
     * Maps from callers are copied; maps that are already {@link FrozenMap}s (another sample's, an
     * impression's {@code RawFeatures}) are immutable and shared as they are.
     */
    private static <K, V> Map<K, V> frozen(Map<K, V> map) {
        return FrozenMap.copyOf(map);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Sample s)) {
            return false;
        }
        return impressionId.equals(s.impressionId)
                && requestId.equals(s.requestId)
                && Objects.equals(userId, s.userId)
                && Objects.equals(itemId, s.itemId)
                && Objects.equals(position, s.position)
                && eventTime == s.eventTime
                && emitTime == s.emitTime
                && specVersion.equals(s.specVersion)
                && labels.equals(s.labels)
                && Float.compare(weight, s.weight) == 0
                && dense.equals(s.dense)
                && denseMissing.equals(s.denseMissing)
                && sameArrays(sparse, s.sparse)
                && sparseRaw.equals(s.sparseRaw)
                && sameArrays(embeddings, s.embeddings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(impressionId, requestId, eventTime, specVersion, labels, weight);
    }

    private static boolean sameArrays(Map<String, ?> a, Map<String, ?> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, ?> e : a.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Sample["
                + impressionId
                + " labels="
                + labels
                + " weight="
                + weight
                + " spec="
                + specVersion
                + " dense="
                + dense
                + " sparseRaw="
                + sparseRaw
                + " embeddings="
                + embeddings.keySet()
                + " sparse="
                + sparse.keySet()
                + "]";
    }
}
