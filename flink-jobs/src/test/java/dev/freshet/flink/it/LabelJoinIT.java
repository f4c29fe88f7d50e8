package dev.freshet.flink.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.FeatureConfig;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.features.spec.SparseSpec;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.Topics;
import dev.freshet.flink.kafka.Outbound;
import dev.freshet.flink.pipeline.LatestCheckpoint;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The label-join job on a Flink MiniCluster against a real Kafka broker: thousands of events with
 * disorder, duplicates, late and malformed records in; exactly the expected samples, dead letters
 * and late engagements out, read with read_committed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LabelJoinIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration SETTLE = Duration.ofSeconds(4);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void producesExactlyTheExpectedSamplesDeadLettersAndLateEngagements(
            KafkaBroker kafka, @TempDir Path dir) throws Exception {
        PipelineConfig config = config(kafka, dir, "full");
        PipelineHarness pipeline = new PipelineHarness(kafka, config);
        long now = System.currentTimeMillis();
        Scenario phase1 =
                new Scenario(1).traffic("p1", 1500, now - 60_000, 40).malformed(now - 30_000);
        pipeline.send(phase1);

        JobClient job = pipeline.start(Optional.empty());
        try {
            assertThat(pipeline.samples(phase1.expectedLabels.size(), WAIT, Duration.ZERO))
                    .hasSize(phase1.expectedLabels.size());

            // The watermark has passed every phase-1 window: re-sent and very old impressions are
            // now late, and engagements for emitted impressions can only be late.
            Scenario phase2 =
                    new Scenario(2)
                            .traffic("p2", 300, System.currentTimeMillis(), 20)
                            .resend(phase1, "p1", 10)
                            .lateImpressions("old", 5, now - 600_000)
                            .lateEngagements(phase1, "p1", 10);
            pipeline.send(phase2);

            Map<String, Map<String, Integer>> expected = new LinkedHashMap<>(phase1.expectedLabels);
            expected.putAll(phase2.expectedLabels);
            List<Sample> samples = pipeline.samples(expected.size(), WAIT, SETTLE);
            assertExactly(samples, expected, phase1, phase2);

            List<ConsumerRecord<byte[], byte[]>> dlq =
                    pipeline.committed(
                            config.topics().deadLetters(),
                            phase1.deadLetterCount() + phase2.deadLetterCount(),
                            WAIT,
                            SETTLE);
            assertDeadLetters(kafka, dlq, phase1, phase2);

            List<ConsumerRecord<byte[], byte[]>> late =
                    pipeline.committed(
                            config.topics().lateEngagements(),
                            phase2.lateEngagementIds.size(),
                            WAIT,
                            Duration.ZERO);
            assertThat(late)
                    .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrderElementsOf(phase2.lateEngagementIds);
            assertThat(late)
                    .allSatisfy(
                            r ->
                                    assertThat(header(r, Outbound.LATE_REASON_HEADER))
                                            .isIn("after_emit", "unmatched"));
        } finally {
            PipelineHarness.stop(job);
        }
    }

    @Test
    void aJobKilledMidStreamAndRestoredFromItsCheckpointStillWritesExactlyTheExpectedSet(
            KafkaBroker kafka, @TempDir Path dir) throws Exception {
        PipelineConfig config = config(kafka, dir, "restore");
        PipelineHarness pipeline = new PipelineHarness(kafka, config);
        long now = System.currentTimeMillis();
        Scenario phase1 =
                new Scenario(3).traffic("k1", 1500, now - 60_000, 40).malformed(now - 30_000);
        pipeline.send(phase1);

        JobClient first = pipeline.start(Optional.empty());
        // Kill it as soon as some samples are committed: the rest are pending in state or in an
        // open transaction that the restored job must abort and redo.
        List<Sample> beforeKill = pipeline.samples(1, WAIT, Duration.ZERO);
        PipelineHarness.stop(first);
        assertThat(beforeKill).isNotEmpty();
        Optional<Path> checkpoint = LatestCheckpoint.in(config.checkpointDir());
        assertThat(checkpoint).as("a retained checkpoint").isPresent();

        Scenario phase2 =
                new Scenario(4)
                        .traffic("k2", 300, System.currentTimeMillis(), 20)
                        .resend(phase1, "k1", 10)
                        .lateImpressions("old", 5, now - 600_000);
        pipeline.send(phase2);

        JobClient second = pipeline.start(Optional.of(checkpoint.get().toUri().toString()));
        try {
            Map<String, Map<String, Integer>> expected = new LinkedHashMap<>(phase1.expectedLabels);
            expected.putAll(phase2.expectedLabels);
            List<Sample> samples = pipeline.samples(expected.size(), WAIT, SETTLE);
            assertExactly(samples, expected, phase1, phase2);
            assertDeadLetters(
                    kafka,
                    pipeline.committed(
                            config.topics().deadLetters(),
                            phase1.deadLetterCount() + phase2.deadLetterCount(),
                            WAIT,
                            SETTLE),
                    phase1,
                    phase2);
        } finally {
            PipelineHarness.stop(second);
        }
    }

    @Test
    void withFeatureProcessingEverySampleCarriesAFittedSpecAndItsTransform(
            KafkaBroker kafka, @TempDir Path dir) throws Exception {
        kafka.createTopics(1, Topics.FEATURE_SPECS);
        PipelineConfig config =
                config(kafka, dir, "features").toBuilder()
                        .features(
                                new FeatureConfig(
                                        11,
                                        List.of(
                                                new FeatureConfig.DenseFeature("price", 8),
                                                new FeatureConfig.DenseFeature("distance_km", 4)),
                                        List.of(
                                                new FeatureConfig.SparseFeature("category", 32, 5),
                                                new FeatureConfig.SparseFeature("tags", 16, 5)),
                                        List.of(new FeatureConfig.EmbeddingFeature("user_seq", 2)),
                                        Duration.ofMinutes(10),
                                        1,
                                        0.9))
                        .bootstrapSamples(500)
                        .refitInterval(Duration.ofSeconds(1))
                        .build();
        PipelineHarness pipeline = new PipelineHarness(kafka, config);
        long now = System.currentTimeMillis();
        Scenario traffic = new Scenario(5).traffic("f", 1500, now - 60_000, 40);
        pipeline.send(traffic);

        JobClient job = pipeline.start(Optional.empty());
        try {
            List<Sample> samples = pipeline.samples(traffic.expectedLabels.size(), WAIT, SETTLE);
            Map<String, FeatureSpec> published = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    pipeline.committed(Topics.FEATURE_SPECS, 2, WAIT, Duration.ZERO)) {
                FeatureSpec spec = FeatureSpecJson.fromBytes(r.value());
                published.put(spec.version(), spec);
            }
            assertThat(published).isNotEmpty();
            assertThat(samples)
                    .extracting(Sample::impressionId)
                    .containsExactlyInAnyOrderElementsOf(traffic.expectedLabels.keySet());
            for (Sample s : samples) {
                assertThat(published).containsKey(s.specVersion());
                assertThat(s.labels()).isEqualTo(traffic.expectedLabels.get(s.impressionId()));
                assertThat(s.dense().get("price")).isBetween(0f, 0.99f);
                assertThat(s.denseMissing()).containsExactly("distance_km");
                assertThat(s.sparse().get("category")).hasSize(1).doesNotContain(SparseSpec.OOV);
                assertThat(s.sparse().get("tags")).hasSize(2).doesNotContain(SparseSpec.OOV);
                assertThat(s.sparseRaw()).isEmpty();
                assertThat(s.embeddings().get("user_seq")).containsExactly(0.25f, -0.5f);
            }
        } finally {
            PipelineHarness.stop(job);
        }
    }

    private static PipelineConfig config(KafkaBroker kafka, Path dir, String name) {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopics(
                2,
                "imp-" + suffix,
                "eng-" + suffix,
                "samples-" + suffix,
                "late-" + suffix,
                "dlq-" + suffix);
        return PipelineConfig.defaults(kafka.bootstrapServers()).toBuilder()
                .topics(
                        new dev.freshet.flink.config.Topics(
                                "imp-" + suffix,
                                "eng-" + suffix,
                                "samples-" + suffix,
                                "late-" + suffix,
                                "dlq-" + suffix))
                .tasks(Scenario.WINDOWS)
                .allowedLateness(Duration.ofSeconds(3))
                .maxOutOfOrderness(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(3))
                .emptyPartitionTimeout(Duration.ofSeconds(30))
                .stateTtl(Duration.ofHours(1))
                .stateBackend("hashmap")
                .checkpointInterval(Duration.ofMillis(500))
                .checkpointDir(dir.resolve("checkpoints"))
                .parallelism(2)
                .groupId("it-" + suffix)
                .transactionalIdPrefix("it-" + suffix)
                .limits(
                        new EventLimits(
                                Scenario.MAX_RECORD_BYTES,
                                Instant.parse("2000-01-01T00:00:00Z"),
                                Duration.ofDays(1),
                                512))
                .build();
    }

    private static void assertExactly(
            List<Sample> samples,
            Map<String, Map<String, Integer>> expected,
            Scenario... scenarios) {
        Map<String, Integer> counts = new HashMap<>();
        samples.forEach(s -> counts.merge(s.impressionId(), 1, Integer::sum));
        assertThat(counts)
                .as("one sample per impression")
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        Map<String, String> requests = new HashMap<>();
        for (Scenario s : scenarios) {
            requests.putAll(s.requestIds);
        }
        for (Sample s : samples) {
            assertThat(s.labels()).as(s.impressionId()).isEqualTo(expected.get(s.impressionId()));
            assertThat(s.requestId()).isEqualTo(requests.get(s.impressionId()));
            assertThat(s.weight()).isEqualTo(1.0f);
            assertThat(s.denseMissing()).containsExactly("distance_km");
            assertThat(s.sparseRaw()).containsEntry("tags", List.of("a", "b"));
            assertThat(s.embeddings().get("user_seq")).containsExactly(0.25f, -0.5f);
        }
    }

    private static void assertDeadLetters(
            KafkaBroker kafka, List<ConsumerRecord<byte[], byte[]>> dlq, Scenario... scenarios) {
        Map<String, List<String>> expected = new HashMap<>();
        for (Scenario s : scenarios) {
            s.expectedDeadLetters.forEach(
                    (reason, values) ->
                            values.forEach(
                                    v ->
                                            expected.computeIfAbsent(reason, k -> new ArrayList<>())
                                                    .add(Base64.getEncoder().encodeToString(v))));
        }
        Map<String, List<String>> actual = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            String reason = header(r, DeadLetter.HEADER_REASON);
            byte[] value = r.value();
            if ("true".equals(header(r, DeadLetter.HEADER_TRUNCATED))) {
                assertThat(reason).isEqualTo("oversized");
                assertThat(value).hasSize(Scenario.MAX_RECORD_BYTES);
            }
            actual.computeIfAbsent(reason, k -> new ArrayList<>())
                    .add(Base64.getEncoder().encodeToString(value));
            assertThat(header(r, DeadLetter.HEADER_DETAIL)).isNotBlank();
            assertThat(header(r, DeadLetter.HEADER_TOPIC)).isNotBlank();
            assertThat(Long.parseLong(header(r, DeadLetter.HEADER_OFFSET))).isNotNegative();
        }
        // Oversized originals are kept truncated: compare their prefixes.
        List<String> oversized = expected.remove("oversized");
        List<String> actualOversized = actual.remove("oversized");
        assertThat(actualOversized).hasSameSizeAs(oversized);
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach(
                (reason, values) ->
                        assertThat(actual.get(reason))
                                .as(reason)
                                .containsExactlyInAnyOrderElementsOf(values));
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
