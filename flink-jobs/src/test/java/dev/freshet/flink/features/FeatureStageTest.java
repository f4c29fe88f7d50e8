package dev.freshet.flink.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.RejectReason;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.FeatureConfig;
import dev.freshet.features.spec.FeatureFitter;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.SparseSpec;
import dev.freshet.flink.types.CodecSerializer;
import dev.freshet.flink.types.Codecs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The spec publisher and the operator that applies specs, through Flink's operator harnesses. */
class FeatureStageTest {

    private static final FeatureConfig CONFIG =
            new FeatureConfig(
                    5,
                    List.of(new FeatureConfig.DenseFeature("price", 4)),
                    List.of(new FeatureConfig.SparseFeature("city", 64, 3)),
                    List.of(new FeatureConfig.EmbeddingFeature("user_seq", 2)),
                    Duration.ofMinutes(10),
                    1,
                    0.9);

    @Test
    void samplesWaitForTheFirstSpecThenCarryItsTransformAndVersion() throws Exception {
        FeatureSpec spec = fit(new Random(1), 1_000);
        try (var h = applyHarness()) {
            h.open();
            h.processElement1(new StreamRecord<>(raw("a", 12.0, "bj", new float[] {1f, 2f})));
            assertThat(h.extractOutputValues()).as("held until a spec exists").isEmpty();

            h.processElement2(new StreamRecord<>(spec));
            h.processElement1(
                    new StreamRecord<>(raw("b", -5.0, "never-seen", new float[] {0f, 0f})));

            List<Sample> out = h.extractOutputValues();
            assertThat(out).extracting(Sample::impressionId).containsExactly("a", "b");
            assertThat(out)
                    .allSatisfy(
                            s -> {
                                assertThat(s.specVersion()).isEqualTo(spec.version());
                                assertThat(s.dense().get("price")).isBetween(0f, 0.99f);
                                assertThat(s.sparseRaw()).isEmpty();
                                assertThat(s.labels()).containsEntry("click", 1);
                            });
            assertThat(out.get(0).sparse().get("city")[0]).isNotEqualTo(SparseSpec.OOV);
            assertThat(out.get(1).sparse().get("city")[0]).isEqualTo(SparseSpec.OOV);
            assertThat(out.get(1).dense().get("price")).isEqualTo(0f);
        }
    }

    @Test
    void heldSamplesSurviveACheckpointAndASampleTheSpecRejectsBecomesADeadLetter()
            throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = applyHarness()) {
            h.open();
            h.processElement1(new StreamRecord<>(raw("held", 1.0, "bj", new float[] {1f, 2f})));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = applyHarness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement2(new StreamRecord<>(fit(new Random(2), 500)));
            h.processElement1(new StreamRecord<>(raw("bad", 1.0, "bj", new float[] {1f, 2f, 3f})));
            assertThat(h.extractOutputValues())
                    .extracting(Sample::impressionId)
                    .containsExactly("held");
            List<DeadLetter> dead =
                    h.getSideOutput(ApplySpecFunction.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(dead)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.reason()).isEqualTo(RejectReason.WRONG_DIMENSION);
                                assertThat(new String(d.value()))
                                        .contains("\"impression_id\":\"bad\"");
                            });
        }
    }

    @Test
    void thePublisherWaitsForTheBootstrapThenPublishesOnlySignificantChanges() throws Exception {
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new SpecPublisher(CONFIG, 1_000)),
                        new CodecSerializer<>(new Codecs.FitPartialCodec()))) {
            h.setup(new CodecSerializer<>(new Codecs.FeatureSpecCodec()));
            h.open();
            h.processElement(new StreamRecord<>(partial(0, new Random(1), 600, 0)));
            assertThat(h.extractOutputValues()).as("600 < 1,000 samples").isEmpty();
            h.processElement(new StreamRecord<>(partial(1, new Random(2), 600, 0)));
            assertThat(h.extractOutputValues()).hasSize(1);

            // The same distribution again: a new fit, but not a new version.
            h.processElement(new StreamRecord<>(partial(0, new Random(3), 600, 0)));
            assertThat(h.extractOutputValues()).hasSize(1);

            // Prices shifted for both subtasks: a new version.
            h.processElement(new StreamRecord<>(partial(0, new Random(4), 600, 50)));
            h.processElement(new StreamRecord<>(partial(1, new Random(5), 600, 50)));
            List<FeatureSpec> specs = h.extractOutputValues();
            assertThat(specs).hasSizeGreaterThanOrEqualTo(2);
            assertThat(specs.get(specs.size() - 1).version()).isNotEqualTo(specs.get(0).version());
        }
    }

    private static TwoInputStreamOperatorTestHarness<Sample, FeatureSpec, Sample> applyHarness()
            throws Exception {
        var h =
                new TwoInputStreamOperatorTestHarness<>(
                        new CoBroadcastWithNonKeyedOperator<>(
                                new ApplySpecFunction("samples", 4096),
                                List.of(ApplySpecFunction.SPEC)));
        h.setup(new CodecSerializer<>(new Codecs.SampleCodec()));
        return h;
    }

    private static FitPartial partial(int subtask, Random random, int n, double shift) {
        FeatureFitter f = new FeatureFitter(CONFIG);
        for (int i = 0; i < n; i++) {
            f.add(
                    RawInputs.of(
                            raw(
                                    "x" + i,
                                    shift + 10 * random.nextDouble(),
                                    "c" + random.nextInt(5),
                                    new float[] {0f, 1f})));
        }
        return new FitPartial(subtask, f.samples(), f.toBytes());
    }

    private static FeatureSpec fit(Random random, int n) {
        FeatureFitter f = new FeatureFitter(CONFIG);
        for (int i = 0; i < n; i++) {
            f.add(
                    RawInputs.of(
                            raw(
                                    "x" + i,
                                    10 * random.nextDouble(),
                                    random.nextBoolean() ? "bj" : "sh",
                                    new float[] {0f, 1f})));
        }
        return f.fit();
    }

    private static Sample raw(String id, double price, String city, float[] seq) {
        return new Sample(
                id,
                "r",
                null,
                null,
                null,
                1L,
                2L,
                Sample.RAW_SPEC,
                Map.of("click", 1),
                1f,
                Map.of("price", (float) price),
                List.of(),
                Map.of(),
                Map.of("city", List.of(city)),
                Map.of("user_seq", seq));
    }
}
