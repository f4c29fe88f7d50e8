package dev.freshet.features.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSpecJsonTest {

    private static FeatureSpec spec(double boundary) {
        return FeatureSpec.of(
                42,
                List.of(new DenseSpec("price", new double[] {0.5, boundary})),
                List.of(new SparseSpec("city", 1000, 5, new long[] {3, -9, 12})),
                List.of(new EmbeddingSpec("user_seq", 16)));
    }

    @Test
    void roundTripsToAnEqualSpecWithTheSameVersion() {
        FeatureSpec s = spec(2.5);
        FeatureSpec back = FeatureSpecJson.fromBytes(FeatureSpecJson.toBytes(s));
        assertThat(back).isEqualTo(s);
        assertThat(back.version()).isEqualTo(s.version()).hasSize(16);
    }

    @Test
    void theVersionIsTheContentHash() {
        assertThat(spec(2.5).version()).isEqualTo(spec(2.5).version());
        assertThat(spec(2.6).version()).isNotEqualTo(spec(2.5).version());
        // The frequent set is a set: order of fitting does not change the version.
        FeatureSpec reordered =
                FeatureSpec.of(
                        42,
                        List.of(new DenseSpec("price", new double[] {0.5, 2.5})),
                        List.of(new SparseSpec("city", 1000, 5, new long[] {12, 3, -9})),
                        List.of(new EmbeddingSpec("user_seq", 16)));
        assertThat(reordered.version()).isEqualTo(spec(2.5).version());
    }

    @Test
    void aSpecWhoseVersionDoesNotMatchItsContentIsRejected() {
        String json =
                new String(FeatureSpecJson.toBytes(spec(2.5)), StandardCharsets.UTF_8)
                        .replace("2.5", "2.75");
        assertThatThrownBy(() -> FeatureSpecJson.fromBytes(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(
                        () -> FeatureSpecJson.fromBytes("{oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundariesMustStrictlyIncrease() {
        assertThatThrownBy(() -> new DenseSpec("x", new double[] {1, 1}))
                .hasMessageContaining("strictly increase");
        assertThatThrownBy(() -> new DenseSpec("x", new double[] {Double.NaN}))
                .hasMessageContaining("not finite");
    }
}
