package dev.freshet.features.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.RawFeatures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpecChangeTest {

    private static final FeatureConfig CONFIG =
            new FeatureConfig(
                    1,
                    List.of(new FeatureConfig.DenseFeature("x", 20)),
                    List.of(new FeatureConfig.SparseFeature("city", 1000, 20)),
                    List.of(),
                    Duration.ofHours(1),
                    1,
                    0.9);

    @Test
    void aRefitOnTheSameDistributionIsNotANewVersion() {
        FeatureSpec a = fit(new Random(1), 0, 100);
        FeatureSpec b = fit(new Random(2), 0, 100);
        assertThat(a.version()).isNotEqualTo(b.version()); // sketches differ in detail
        assertThat(SpecChange.significant(a, b, CONFIG)).isFalse();
    }

    @Test
    void aShiftedDistributionIsANewVersion() {
        FeatureSpec a = fit(new Random(1), 0, 100);
        FeatureSpec shifted = fit(new Random(2), 1.0, 100);
        assertThat(SpecChange.significant(a, shifted, CONFIG)).isTrue();
    }

    @Test
    void aChangedVocabularyIsANewVersion() {
        FeatureSpec a = fit(new Random(1), 0, 100);
        FeatureSpec otherCities = fit(new Random(2), 0, 200);
        assertThat(SpecChange.significant(a, otherCities, CONFIG)).isTrue();
    }

    /** Normal dense values around {@code shift}; cities c0..c{cities-1}, Zipf-like. */
    private static FeatureSpec fit(Random random, double shift, int cities) {
        FeatureFitter fitter = new FeatureFitter(CONFIG);
        for (int i = 0; i < 100_000; i++) {
            int city =
                    cities == 100
                            ? (int) Math.floor(Math.pow(random.nextDouble(), 2) * 100)
                            : 100 + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 100);
            fitter.add(
                    new RawFeatures(
                            Map.of("x", shift + random.nextGaussian()),
                            Map.of("city", List.of("c" + city)),
                            Map.of()));
        }
        return fitter.fit();
    }
}
