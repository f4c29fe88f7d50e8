package dev.freshet.features.spec;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which features the model uses and how their spec is fitted. Read from the {@code features:}
 * section of the config file by {@link FeatureConfigFile}.
 *
 * @param hashSeed seed of the sparse hashing
 * @param dense dense features and their bucket counts
 * @param sparse sparse fields, bucket counts (OOV included) and min_count
 * @param embeddings embedding features and their dimensions
 * @param window the trailing window the spec is fitted over
 * @param maxBucketShift a refit replaces the spec only if some dense quantile moved by more than
 *     this many buckets under the old spec, ...
 * @param minVocabularyOverlap ... or some sparse field's frequent set overlaps the old one
 *     (Jaccard) less than this, or the features themselves changed
 */
public record FeatureConfig(
        long hashSeed,
        List<DenseFeature> dense,
        List<SparseFeature> sparse,
        List<EmbeddingFeature> embeddings,
        Duration window,
        int maxBucketShift,
        double minVocabularyOverlap)
        implements Serializable {

    public record DenseFeature(String name, int buckets) implements Serializable {}

    public record SparseFeature(String name, int buckets, long minCount) implements Serializable {}

    public record EmbeddingFeature(String name, int dim) implements Serializable {}

    public FeatureConfig {
        dense = List.copyOf(dense);
        sparse = List.copyOf(sparse);
        embeddings = List.copyOf(embeddings);
        Set<String> names = new HashSet<>();
        for (DenseFeature d : dense) {
            unique(names, "dense", d.name());
            require(d.buckets() >= 2, "dense." + d.name() + ".buckets", "must be at least 2");
        }
        for (SparseFeature s : sparse) {
            unique(names, "sparse", s.name());
            require(s.buckets() >= 2, "sparse." + s.name() + ".buckets", "must be at least 2");
            require(s.minCount() >= 1, "sparse." + s.name() + ".min_count", "must be at least 1");
        }
        for (EmbeddingFeature e : embeddings) {
            unique(names, "embeddings", e.name());
            require(e.dim() >= 1, "embeddings." + e.name() + ".dim", "must be positive");
        }
        require(!window.isNegative() && !window.isZero(), "window", "must be positive");
        require(maxBucketShift >= 0, "max_bucket_shift", "must not be negative");
        require(
                minVocabularyOverlap >= 0 && minVocabularyOverlap <= 1,
                "min_vocabulary_overlap",
                "must be in [0, 1]");
    }

    private static void unique(Set<String> names, String kind, String name) {
        require(name != null && !name.isBlank(), kind, "feature names must not be empty");
        require(names.add(name), kind + "." + name, "is declared twice");
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("features." + key + ": " + message);
        }
    }
}
