package dev.freshet.features.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureConfigFileTest {

    @TempDir Path dir;

    @Test
    void readsTheFeaturesSectionWithDefaults() throws IOException {
        FeatureConfig c =
                load(
                        """
                pipeline: {allowed_lateness: 5m}
                features:
                  hash_seed: 7
                  window: 30m
                  dense: {price: {buckets: 8}, distance_km: {}}
                  sparse: {city: {buckets: 100, min_count: 3}, tags: null}
                  embeddings: {user_seq: {dim: 4}}
                """);
        assertThat(c.hashSeed()).isEqualTo(7);
        assertThat(c.window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.dense())
                .containsExactly(
                        new FeatureConfig.DenseFeature("price", 8),
                        new FeatureConfig.DenseFeature(
                                "distance_km", FeatureConfigFile.DEFAULT_DENSE_BUCKETS));
        assertThat(c.sparse())
                .containsExactly(
                        new FeatureConfig.SparseFeature("city", 100, 3),
                        new FeatureConfig.SparseFeature(
                                "tags",
                                FeatureConfigFile.DEFAULT_SPARSE_BUCKETS,
                                FeatureConfigFile.DEFAULT_MIN_COUNT));
        assertThat(c.embeddings())
                .containsExactly(new FeatureConfig.EmbeddingFeature("user_seq", 4));
    }

    @Test
    void aFileWithoutAFeaturesSectionHasNone() throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "pipeline: {}\n");
        assertThat(FeatureConfigFile.load(file)).isEmpty();
    }

    @Test
    void errorsNameTheBadKey() {
        assertError(
                "features: {dense: {price: {bukets: 8}}}",
                "features.dense.price.bukets: unknown key");
        assertError(
                "features: {dense: {price: {buckets: 1}}}",
                "features.dense.price.buckets: must be at least 2");
        assertError(
                "features: {sparse: {city: {min_count: 0}}}",
                "features.sparse.city.min_count: must be at least 1");
        assertError(
                "features: {embeddings: {user_seq: {}}}",
                "features.embeddings.user_seq.dim: is required");
        assertError("features: {window: soon}", "features.window: expected a duration");
        assertError(
                "features: {dense: {x: {}}, sparse: {x: {}}}",
                "features.sparse.x: is declared twice");
        assertError("features: {densee: {}}", "features.densee: unknown key");
    }

    private FeatureConfig load(String yaml) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return FeatureConfigFile.load(file).orElseThrow();
    }

    private void assertError(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
