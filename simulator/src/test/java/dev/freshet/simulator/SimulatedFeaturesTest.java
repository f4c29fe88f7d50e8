package dev.freshet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.Impression;
import dev.freshet.features.spec.FeatureConfig;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The feature config names exactly the features the simulated impressions carry. */
class SimulatedFeaturesTest {

    @Test
    void namesExactlyTheLoggedDenseAndSparseFeatures() {
        Set<String> dense = new HashSet<>();
        Set<String> sparse = new HashSet<>();
        for (Impression i :
                Traffic.generate(SimulatorConfig.defaults(), 200).impressions().values()) {
            dense.addAll(i.features().dense().keySet());
            sparse.addAll(i.features().sparse().keySet());
        }
        FeatureConfig config = SimulatedFeatures.featureConfig();

        assertThat(config.dense())
                .extracting(FeatureConfig.DenseFeature::name)
                .containsExactlyInAnyOrderElementsOf(dense);
        assertThat(config.sparse())
                .extracting(FeatureConfig.SparseFeature::name)
                .containsExactlyInAnyOrderElementsOf(sparse);
        assertThat(config.embeddings()).isEmpty();
    }
}
