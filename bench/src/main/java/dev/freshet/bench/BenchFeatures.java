package dev.freshet.bench;

import dev.freshet.features.spec.FeatureConfig;
import java.time.Duration;
import java.util.List;

/**
 * The feature-processing config of the benchmark's events ({@link EventGenerator}): every dense,
 * sparse and embedding feature they carry. On for our job when the job JVM runs with {@code
 * -Dfreshet.bench.features=true} (pass it with {@code --child-jvm-opts}).
 */
final class BenchFeatures {

    static final String PROPERTY = "freshet.bench.features";

    static final FeatureConfig CONFIG =
            new FeatureConfig(
                    7,
                    List.of(
                            new FeatureConfig.DenseFeature("price", 20),
                            new FeatureConfig.DenseFeature("distance_km", 20),
                            new FeatureConfig.DenseFeature("item_ctr_7d", 20)),
                    List.of(
                            new FeatureConfig.SparseFeature("category", 1_000, 5),
                            new FeatureConfig.SparseFeature("city", 1_000, 5),
                            new FeatureConfig.SparseFeature("tags", 1_000, 5)),
                    List.of(
                            new FeatureConfig.EmbeddingFeature(
                                    "user_seq", EventGenerator.EMBEDDING_DIM)),
                    Duration.ofHours(1),
                    1,
                    0.9);

    static final long BOOTSTRAP_SAMPLES = 5_000;
    static final Duration REFIT_INTERVAL = Duration.ofSeconds(2);

    private BenchFeatures() {}

    static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }
}
