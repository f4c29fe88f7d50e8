package dev.freshet.flink.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.RawFeatures;
import dev.freshet.features.sample.Sample;
import dev.freshet.flink.config.TaskWindows;
import dev.freshet.flink.types.CodecSerializer;
import dev.freshet.flink.types.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the label join, through Flink's operator harness, with state checked empty after.
 */
class LabelJoinFunctionTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final Duration LATENESS = Duration.ofSeconds(5);
    private static final TaskWindows WINDOWS =
            new TaskWindows(
                    TaskWindows.ordered(
                            "click", Duration.ofSeconds(10),
                            "save", Duration.ofSeconds(30),
                            "hide", Duration.ofSeconds(30),
                            "pay", Duration.ofSeconds(60)),
                    Map.of("purchase", "pay"));

    /** Every key is forgotten once the watermark passes this. */
    private static final long DONE = 10 * 60_000L;

    private KeyedTwoInputStreamOperatorTestHarness<String, Impression, Engagement, Sample> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness(1.0);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void emitsOneSampleWhenTheLongestWindowCloses() throws Exception {
        impression("a", 0);
        engagement("e1", "a", "click", 3_000);

        watermark(59_999);
        assertThat(harness.extractOutputValues()).isEmpty();

        watermark(60_000);
        List<Sample> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        Sample s = out.get(0);
        assertThat(s.impressionId()).isEqualTo("a");
        assertThat(s.requestId()).isEqualTo("req-a");
        assertThat(s.eventTime()).isEqualTo(T0);
        assertThat(s.labels())
                .containsExactly(
                        Map.entry("click", 1),
                        Map.entry("save", 0),
                        Map.entry("hide", 0),
                        Map.entry("pay", 0));
        assertThat(s.weight()).isEqualTo(1.0f);
        assertThat(s.specVersion()).isEqualTo(Sample.RAW_SPEC);
        assertThat(s.dense()).containsEntry("price", 12.5f);
        assertThat(s.denseMissing()).containsExactly("distance_km");
        assertThat(s.sparseRaw()).containsEntry("tags", List.of("spicy", "noodles"));

        assertStateGoneAfterAll();
    }

    @Test
    void eachTaskCountsOnlyEngagementsWithinItsOwnWindow() throws Exception {
        impression("a", 0);
        engagement("late-click", "a", "click", 15_000); // click window is 10 s
        engagement("save", "a", "save", 30_000); // exactly at the window edge: counts
        engagement("purchase", "a", "purchase", 50_000); // an alias of pay
        engagement("too-early", "a", "hide", -1); // before the impression: never counts

        watermark(60_000);
        assertThat(single().labels())
                .containsExactly(
                        Map.entry("click", 0),
                        Map.entry("save", 1),
                        Map.entry("hide", 0),
                        Map.entry("pay", 1));
        assertStateGoneAfterAll();
    }

    @Test
    void engagementsBeforeTheirImpressionAreHeldUntilItArrives() throws Exception {
        engagement("e1", "a", "click", 2_000);
        watermark(1_000);
        impression("a", 0);
        watermark(60_000);
        assertThat(single().labels()).containsEntry("click", 1);
        assertThat(harness.getSideOutput(LabelJoinFunction.LATE_ENGAGEMENTS)).isNull();
        assertStateGoneAfterAll();
    }

    @Test
    void heldEngagementWithoutImpressionBecomesUnmatchedAfterLateness() throws Exception {
        engagement("e1", "ghost", "click", 2_000);
        watermark(2_000 + LATENESS.toMillis());
        assertThat(lateEngagements()).isEmpty();

        watermark(2_000 + LATENESS.toMillis() + 1);
        assertThat(lateEngagements())
                .containsExactly(
                        new LateEngagement(
                                new Engagement("e1", "ghost", "click", T0 + 2_000),
                                LateEngagement.UNMATCHED));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void engagementTooOldToEverMatchIsUnmatchedAtOnce() throws Exception {
        watermark(20_000);
        engagement("old", "ghost", "click", 1_000);
        assertThat(lateEngagements())
                .extracting(LateEngagement::reason)
                .containsExactly(LateEngagement.UNMATCHED);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void duplicateImpressionsAndEngagementsChangeNothing() throws Exception {
        impression("a", 0);
        impression("a", 0);
        engagement("e1", "a", "save", 1_000);
        engagement("e1", "a", "save", 1_000);
        watermark(60_000);
        impression("a", 0); // after emission: still the same impression
        watermark(60_000 + LATENESS.toMillis());

        assertThat(single().labels()).containsEntry("save", 1);
        assertThat(lateEngagements()).isEmpty();
        assertStateGoneAfterAll();
    }

    @Test
    void engagementAfterEmissionGoesToLateEngagementsOnce() throws Exception {
        impression("a", 0);
        watermark(60_000);
        assertThat(single().labels()).containsEntry("pay", 0);

        engagement("p1", "a", "pay", 59_000);
        engagement("p1", "a", "pay", 59_000); // its duplicate is not reported twice
        assertThat(lateEngagements())
                .containsExactly(
                        new LateEngagement(
                                new Engagement("p1", "a", "pay", T0 + 59_000),
                                LateEngagement.AFTER_EMIT));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertStateGoneAfterAll();
    }

    @Test
    void engagementTypesWithoutATaskAreIgnored() throws Exception {
        impression("a", 0);
        engagement("v1", "a", "view", 1_000);
        watermark(60_000);
        assertThat(single().labels().values()).containsOnly(0);
        assertStateGoneAfterAll();
    }

    @Test
    void negativeDownSamplingKeepsAboutRWithWeightOneOverR() throws Exception {
        harness.close();
        harness = harness(0.25);
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            impression("neg-" + i, 0);
        }
        impression("pos", 0);
        engagement("c", "pos", "click", 1_000);
        watermark(60_000);

        List<Sample> out = harness.extractOutputValues();
        List<Sample> negatives = out.stream().filter(s -> !s.impressionId().equals("pos")).toList();
        // Binomial(2000, 0.25): mean 500, sd 19.4; 5 sd either side.
        assertThat(negatives.size()).isBetween(403, 597);
        assertThat(negatives).allSatisfy(s -> assertThat(s.weight()).isEqualTo(4.0f));
        assertThat(out)
                .filteredOn(s -> s.impressionId().equals("pos"))
                .singleElement()
                .satisfies(s -> assertThat(s.weight()).isEqualTo(1.0f));

        // The keep decision is a function of the id: a second run keeps exactly the same ones.
        List<String> kept = negatives.stream().map(Sample::impressionId).toList();
        harness.close();
        harness = harness(0.25);
        for (int i = 0; i < n; i++) {
            impression("neg-" + i, 0);
        }
        watermark(60_000);
        assertThat(harness.extractOutputValues())
                .extracting(Sample::impressionId)
                .containsExactlyInAnyOrderElementsOf(kept);
        assertStateGoneAfterAll();
    }

    @Test
    void pendingImpressionsSurviveASnapshotAndRestore() throws Exception {
        impression("a", 0);
        engagement("e1", "a", "hide", 20_000);
        engagement("e2", "b", "click", 1_000); // held, waiting for b
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = unopened(1.0);
        harness.initializeState(snapshot);
        harness.open();
        impression("b", 500);
        watermark(61_000);

        Map<String, Map<String, Integer>> labels = new LinkedHashMap<>();
        harness.extractOutputValues().forEach(s -> labels.put(s.impressionId(), s.labels()));
        assertThat(labels).containsOnlyKeys("a", "b");
        assertThat(labels.get("a")).containsEntry("hide", 1);
        assertThat(labels.get("b")).containsEntry("click", 1);
        assertStateGoneAfterAll();
    }

    @Test
    void aRepeatOfACountedEngagementAfterEmissionIsADuplicateNotLate() throws Exception {
        impression("a", 0);
        engagement("c1", "a", "click", 1_000);
        engagement("c1", "a", "click", 1_000); // the label bit is already set: changes nothing
        watermark(60_000);
        assertThat(single().labels()).containsEntry("click", 1);

        engagement("c1", "a", "click", 1_000); // a redelivery after the sample went out
        assertThat(lateEngagements()).isEmpty();
        assertStateGoneAfterAll();
    }

    @Test
    void heldEngagementsAreJudgedAgainstTheirTasksWindowsWhenTheImpressionArrives()
            throws Exception {
        engagement("late-click", "a", "click", 12_000); // after the 10 s click window
        engagement("save", "a", "save", 12_000);
        engagement("save", "a", "save", 12_000); // a duplicate while held
        engagement("early-hide", "a", "hide", -1); // before the impression
        watermark(-2_000);
        impression("a", 0);
        engagement("save", "a", "save", 12_000); // still a duplicate once the impression is in
        watermark(60_000);

        assertThat(single().labels())
                .containsExactly(
                        Map.entry("click", 0),
                        Map.entry("save", 1),
                        Map.entry("hide", 0),
                        Map.entry("pay", 0));
        assertThat(lateEngagements()).isEmpty();
        assertStateGoneAfterAll();
    }

    @Test
    void aHeldEngagementThatExpiresNoLongerCountsButTheOthersStillDo() throws Exception {
        engagement("s1", "a", "save", 1_000);
        engagement("c1", "a", "click", 4_000);
        watermark(1_000 + LATENESS.toMillis() + 1); // s1's expiry; c1 is still held

        assertThat(lateEngagements())
                .containsExactly(
                        new LateEngagement(
                                new Engagement("s1", "a", "save", T0 + 1_000),
                                LateEngagement.UNMATCHED));
        impression("a", 500);
        watermark(61_000);
        assertThat(single().labels()).containsEntry("click", 1).containsEntry("save", 0);
        assertStateGoneAfterAll();
    }

    @Test
    void theEmittedMarkerSurvivesASnapshotAndRestore() throws Exception {
        impression("a", 0);
        engagement("c1", "a", "click", 1_000);
        watermark(60_000);
        assertThat(single().labels()).containsEntry("click", 1);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = unopened(1.0);
        harness.initializeState(snapshot);
        harness.open();
        impression("a", 0); // a replayed impression: already emitted
        engagement("c1", "a", "click", 1_000); // counted before the snapshot: a duplicate
        engagement("p1", "a", "pay", 59_000); // new: after emission

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(lateEngagements())
                .containsExactly(
                        new LateEngagement(
                                new Engagement("p1", "a", "pay", T0 + 59_000),
                                LateEngagement.AFTER_EMIT));
        assertStateGoneAfterAll();
    }

    @Test
    void labelsFoldedBeforeASnapshotAreRestoredWithTheImpressionsFeatures() throws Exception {
        impression("a", 0);
        engagement("s1", "a", "save", 20_000);
        engagement("h1", "a", "hide", 31_000); // outside the 30 s hide window
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = unopened(1.0);
        harness.initializeState(snapshot);
        harness.open();
        engagement("s1", "a", "save", 20_000); // a duplicate across the restore
        engagement("p1", "a", "pay", 40_000);
        watermark(60_000);

        Sample s = single();
        assertThat(s.labels())
                .containsExactly(
                        Map.entry("click", 0),
                        Map.entry("save", 1),
                        Map.entry("hide", 0),
                        Map.entry("pay", 1));
        assertThat(s.userId()).isEqualTo("u1");
        assertThat(s.position()).isEqualTo(3);
        assertThat(s.dense()).containsExactly(Map.entry("price", 12.5f));
        assertThat(s.denseMissing()).containsExactly("distance_km");
        assertThat(s.sparseRaw()).containsExactly(Map.entry("tags", List.of("spicy", "noodles")));
        assertThat(s.embeddings().get("user_seq")).containsExactly(0.5f, -1f);
        assertStateGoneAfterAll();
    }

    private KeyedTwoInputStreamOperatorTestHarness<String, Impression, Engagement, Sample> harness(
            double rate) throws Exception {
        var h = unopened(rate);
        h.open();
        return h;
    }

    private KeyedTwoInputStreamOperatorTestHarness<String, Impression, Engagement, Sample> unopened(
            double rate) throws Exception {
        LabelJoinFunction fn =
                new LabelJoinFunction(
                        WINDOWS, LATENESS, new NegativeSampler(rate, 7L), Duration.ofHours(1));
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(fn),
                        new LabelJoinJob.ImpressionKey(),
                        new LabelJoinJob.EngagementKey(),
                        Types.STRING);
        h.setup(new CodecSerializer<>(new Codecs.SampleCodec()));
        return h;
    }

    private void impression(String id, long offsetMillis) throws Exception {
        Map<String, Double> dense = new LinkedHashMap<>();
        dense.put("price", 12.5);
        dense.put("distance_km", null);
        RawFeatures features =
                new RawFeatures(
                        dense,
                        Map.of("tags", List.of("spicy", "noodles")),
                        Map.of("user_seq", new float[] {0.5f, -1f}));
        Impression imp =
                new Impression(id, "req-" + id, "u1", "i1", T0 + offsetMillis, 3, features);
        harness.processElement1(new StreamRecord<>(imp, imp.eventTime()));
    }

    private void engagement(String id, String impressionId, String type, long offsetMillis)
            throws Exception {
        Engagement e = new Engagement(id, impressionId, type, T0 + offsetMillis);
        harness.processElement2(new StreamRecord<>(e, e.eventTime()));
    }

    private void watermark(long offsetMillis) throws Exception {
        harness.processBothWatermarks(new Watermark(T0 + offsetMillis));
    }

    private Sample single() {
        List<Sample> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private List<LateEngagement> lateEngagements() {
        var side = harness.getSideOutput(LabelJoinFunction.LATE_ENGAGEMENTS);
        List<LateEngagement> out = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private void assertStateGoneAfterAll() throws Exception {
        watermark(DONE);
        assertThat(harness.numKeyedStateEntries()).as("keyed state entries").isZero();
        assertThat(harness.numEventTimeTimers()).as("event-time timers").isZero();
    }
}
