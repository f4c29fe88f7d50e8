package dev.freshet.features.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.features.event.RawFeatures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureFitterTest {

    private static final FeatureConfig CONFIG =
            new FeatureConfig(
                    3,
                    List.of(new FeatureConfig.DenseFeature("x", 4)),
                    List.of(new FeatureConfig.SparseFeature("city", 64, 10)),
                    List.of(new FeatureConfig.EmbeddingFeature("e", 2)),
                    Duration.ofHours(1),
                    1,
                    0.9);

    @Test
    void aFitterSurvivesItsByteFormAndFitsTheSameSpec() {
        FeatureFitter f = fitter(new Random(1), 5_000);
        FeatureFitter back = FeatureFitter.fromBytes(CONFIG, f.toBytes());
        assertThat(back.samples()).isEqualTo(5_000);
        assertThat(back.fit()).isEqualTo(f.fit());
    }

    @Test
    void valuesSeenFewerThanMinCountTimesAreNotInTheVocabulary() {
        FeatureFitter f = new FeatureFitter(CONFIG);
        for (int i = 0; i < 10; i++) {
            f.add(raw(1.0, "often"));
        }
        for (int i = 0; i < 9; i++) {
            f.add(raw(1.0, "nine-times"));
        }
        SparseSpec city = f.fit().sparseFeature("city").orElseThrow();
        assertThat(city.id("often", CONFIG.hashSeed())).isNotEqualTo(SparseSpec.OOV);
        assertThat(city.id("nine-times", CONFIG.hashSeed())).isEqualTo(SparseSpec.OOV);
    }

    @Test
    void anEmptyFitterGivesOneBucketAndAnEmptyVocabulary() {
        FeatureSpec spec = new FeatureFitter(CONFIG).fit();
        assertThat(spec.denseFeature("x").orElseThrow().buckets()).isEqualTo(1);
        assertThat(spec.sparseFeature("city").orElseThrow().vocabularySize()).isZero();
        assertThat(spec.embeddings()).containsExactly(new EmbeddingSpec("e", 2));
    }

    @Test
    void garbageBytesAreRejected() {
        assertThatThrownBy(() -> FeatureFitter.fromBytes(CONFIG, new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static FeatureFitter fitter(Random random, int n) {
        FeatureFitter f = new FeatureFitter(CONFIG);
        for (int i = 0; i < n; i++) {
            f.add(raw(random.nextGaussian(), "c" + random.nextInt(20)));
        }
        return f;
    }

    private static RawFeatures raw(double x, String city) {
        return new RawFeatures(Map.of("x", x), Map.of("city", List.of(city)), Map.of());
    }
}
