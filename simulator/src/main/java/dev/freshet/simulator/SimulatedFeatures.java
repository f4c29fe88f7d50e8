package dev.freshet.simulator;

import dev.freshet.features.spec.FeatureConfig;
import dev.freshet.features.spec.FeatureConfig.DenseFeature;
import dev.freshet.features.spec.FeatureConfig.SparseFeature;
import java.time.Duration;
import java.util.List;

/** The feature processing config for what the simulator logs on every impression. */
public final class SimulatedFeatures {

    private SimulatedFeatures() {}

    /**
     * Every dense and sparse feature of a simulated impression. Bucket counts leave room for the
     * default population (5000 users, 1000 items); min_count keeps rare users out of the
     * vocabulary.
     */
    public static FeatureConfig featureConfig() {
        return new FeatureConfig(
                7,
                List.of(
                        new DenseFeature("price", 16),
                        new DenseFeature("item_ctr_7d", 16),
                        new DenseFeature("distance_km", 16)),
                List.of(
                        new SparseFeature("user_segment", 32, 1),
                        new SparseFeature("city", 64, 1),
                        new SparseFeature("category", 64, 1),
                        new SparseFeature("item_id", 4096, 3),
                        new SparseFeature("user_id", 16384, 3),
                        new SparseFeature("tags", 512, 3),
                        new SparseFeature("recent_items", 4096, 3)),
                List.of(),
                Duration.ofHours(1),
                1,
                0.9);
    }
}
