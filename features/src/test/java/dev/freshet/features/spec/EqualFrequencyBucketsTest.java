package dev.freshet.features.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.RawFeatures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The point of equal-frequency bucketing: on skewed, long-tailed data, where equal-width buckets
 * would put nearly everything in the first bucket, the fitted buckets each hold about 1/n of fresh
 * data from the same distribution.
 */
class EqualFrequencyBucketsTest {

    private static final int BUCKETS = 10;
    private static final int FIT = 200_000;
    private static final int CHECK = 100_000;

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"lognormal, 1", "lognormal, 2", "pareto, 3", "pareto, 4", "exponential-mix, 5"})
    void bucketsAreUniformOnLongTailedData(String distribution, long seed) {
        FeatureConfig config =
                new FeatureConfig(
                        1,
                        List.of(new FeatureConfig.DenseFeature("x", BUCKETS)),
                        List.of(),
                        List.of(),
                        Duration.ofHours(1),
                        1,
                        0.9);
        Random random = new Random(seed);
        DoubleSupplier draw =
                switch (distribution) {
                    case "lognormal" -> () -> Math.exp(2.0 * random.nextGaussian());
                    case "pareto" -> () -> Math.pow(1 - random.nextDouble(), -1 / 1.2); // alpha 1.2
                    default ->
                            () ->
                                    random.nextDouble() < 0.9
                                            ? -Math.log(1 - random.nextDouble())
                                            : 1_000 * -Math.log(1 - random.nextDouble());
                };
        // Fit with two fitters merged, as parallel subtasks would.
        FeatureFitter left = new FeatureFitter(config);
        FeatureFitter right = new FeatureFitter(config);
        for (int i = 0; i < FIT; i++) {
            (i % 2 == 0 ? left : right).add(dense(draw.getAsDouble()));
        }
        left.merge(right);
        DenseSpec spec = left.fit().denseFeature("x").orElseThrow();
        assertThat(spec.buckets()).isEqualTo(BUCKETS);

        int[] counts = new int[BUCKETS];
        for (int i = 0; i < CHECK; i++) {
            counts[spec.bucket(draw.getAsDouble())]++;
        }
        // KLL's rank error (~1.3 %) plus sampling noise (~0.1 %): each bucket within 10 % +- 2.5 %.
        for (int b = 0; b < BUCKETS; b++) {
            assertThat(counts[b] / (double) CHECK).as("bucket %d", b).isBetween(0.075, 0.125);
        }
    }

    private static RawFeatures dense(double x) {
        return new RawFeatures(Map.of("x", x), Map.of(), Map.of());
    }
}
