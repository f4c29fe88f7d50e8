package dev.freshet.features.spec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to turn raw impression features into model inputs: dense bucket boundaries,
 * sparse vocabularies and bucket counts, the hash seed, embedding dimensions. Immutable and
 * versioned by the hash of its content ({@link FeatureSpecJson#version}), so a sample, a model
 * checkpoint and a serving replica can all say exactly which transform they used.
 */
public record FeatureSpec(
        String version,
        long hashSeed,
        List<DenseSpec> dense,
        List<SparseSpec> sparse,
        List<EmbeddingSpec> embeddings) {

    public FeatureSpec {
        Objects.requireNonNull(version, "version");
        dense = List.copyOf(dense);
        sparse = List.copyOf(sparse);
        embeddings = List.copyOf(embeddings);
    }

    /** A spec with its version computed from its content. */
    public static FeatureSpec of(
            long hashSeed,
            List<DenseSpec> dense,
            List<SparseSpec> sparse,
            List<EmbeddingSpec> embeddings) {
        FeatureSpec unversioned = new FeatureSpec("", hashSeed, dense, sparse, embeddings);
        return new FeatureSpec(
                FeatureSpecJson.version(unversioned), hashSeed, dense, sparse, embeddings);
    }

    public Optional<DenseSpec> denseFeature(String name) {
        return dense.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public Optional<SparseSpec> sparseFeature(String name) {
        return sparse.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
