package dev.freshet.features.spec;

import java.util.Objects;

/** An embedding feature and the dimension every vector of it must have. */
public record EmbeddingSpec(String name, int dim) {

    public EmbeddingSpec {
        Objects.requireNonNull(name, "name");
        if (dim < 1) {
            throw new IllegalArgumentException(name + ": dim must be positive");
        }
    }
}
