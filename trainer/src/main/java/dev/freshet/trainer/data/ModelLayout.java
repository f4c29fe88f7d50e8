package dev.freshet.trainer.data;

import dev.freshet.features.spec.DenseSpec;
import dev.freshet.features.spec.FeatureSpec;
import java.util.List;
import java.util.Objects;

/**
 * The model's view of a FeatureSpec: which dense features, in which column order, which sparse
 * fields with how many table rows, which embedding features of what width. A sparse field's table
 * has one row per hash bucket (row 0 is the out-of-vocabulary id) plus one last row for "field
 * absent", so the model learns what absence means instead of reading it as a zero vector.
 */
public record ModelLayout(
        String specVersion,
        List<String> dense,
        List<SparseField> sparse,
        List<EmbeddingField> embeddings) {

    public ModelLayout {
        Objects.requireNonNull(specVersion, "specVersion");
        dense = List.copyOf(dense);
        sparse = List.copyOf(sparse);
        embeddings = List.copyOf(embeddings);
    }

    public static ModelLayout of(FeatureSpec spec) {
        return new ModelLayout(
                spec.version(),
                spec.dense().stream().map(DenseSpec::name).toList(),
                spec.sparse().stream().map(s -> new SparseField(s.name(), s.buckets())).toList(),
                spec.embeddings().stream()
                        .map(e -> new EmbeddingField(e.name(), e.dim()))
                        .toList());
    }

    /** Total width of the embedding features, concatenated in layout order. */
    public int embeddingWidth() {
        return embeddings.stream().mapToInt(EmbeddingField::dim).sum();
    }

    /**
     * The position of sparse field {@code name}, for the config key {@code key} that names it; a
     * name the spec does not have fails naming the key and the fields there are.
     */
    public int sparseIndex(String key, String name) {
        for (int i = 0; i < sparse.size(); i++) {
            if (sparse.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                key
                        + ": '"
                        + name
                        + "' is not a sparse field of feature spec "
                        + specVersion
                        + " "
                        + sparse.stream().map(SparseField::name).toList());
    }

    /** A sparse field: ids 0 .. buckets - 1 from the spec, and row {@code buckets} for absent. */
    public record SparseField(String name, int buckets) {
        public SparseField {
            Objects.requireNonNull(name, "name");
            if (buckets < 1) {
                throw new IllegalArgumentException(name + ": buckets must be positive");
            }
        }

        public int rows() {
            return buckets + 1;
        }

        public int absentRow() {
            return buckets;
        }
    }

    /** An embedding feature and its width. */
    public record EmbeddingField(String name, int dim) {
        public EmbeddingField {
            Objects.requireNonNull(name, "name");
            if (dim < 1) {
                throw new IllegalArgumentException(name + ": dim must be positive");
            }
        }
    }
}
