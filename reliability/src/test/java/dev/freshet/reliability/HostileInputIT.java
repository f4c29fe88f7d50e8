package dev.freshet.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.Topics;
import dev.freshet.flink.pipeline.KafkaPipeline;
import dev.freshet.flink.pipeline.PipelineEnvironment;
import dev.freshet.reliability.HostileRecord.Outcome;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The label-join job on a MiniCluster against a real broker, fed the {@link HostileCorpus}
 * interleaved with {@link ValidTraffic}: the job never restarts, every hostile record is in the
 * dead-letter topic with its reason and original bytes, and every valid impression (and every odd
 * but valid one) produced exactly one sample with the right labels, read with read_committed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HostileInputIT {

    private static final Logger LOG = LoggerFactory.getLogger(HostileInputIT.class);
    private static final long SEED = 20_261_130L;
    private static final int VALID_IMPRESSIONS = 2_000;
    private static final int DEAD_LETTERS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void hostileInputIsDeadLetteredWithoutARestartAndValidTrafficIsUnharmed(
            KafkaBroker kafka, @TempDir Path dir, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        PipelineConfig config = Pipelines.config(kafka, dir, HostileCorpusTest.LIMITS);
        long now = System.currentTimeMillis();
        ValidTraffic valid = new ValidTraffic(SEED, VALID_IMPRESSIONS, now - 60_000, 25);
        List<HostileRecord> corpus =
                HostileCorpus.generate(SEED, config.limits(), now, valid, DEAD_LETTERS);
        Map<String, HostileRecord> sent = send(kafka, config.topics(), valid, corpus);

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PipelineEnvironment.configuration(config, Optional.empty()));
        KafkaPipeline.labelJoin(config).build(env);
        JobClient job = env.executeAsync("hostile-input-it");
        try {
            List<String> sampleFor = new ArrayList<>(valid.expectedLabels.keySet());
            corpus.stream()
                    .filter(r -> r.outcome() == Outcome.SAMPLE)
                    .forEach(r -> sampleFor.add(new String(r.key(), StandardCharsets.UTF_8)));
            List<Sample> samples = samples(kafka, config, sampleFor.size());
            long expectedDead =
                    corpus.stream().filter(r -> r.outcome() == Outcome.DEAD_LETTER).count();
            List<ConsumerRecord<byte[], byte[]>> dlq =
                    kafka.readCommitted(
                            config.topics().deadLetters(), (int) expectedDead, WAIT, SETTLE);

            // Every valid engagement is inside its window, so nothing may be late; duplicate and
            // unknown-type engagements must not show up there either.
            List<ConsumerRecord<byte[], byte[]>> late =
                    kafka.readCommitted(
                            config.topics().lateEngagements(), 1, Duration.ZERO, SETTLE);

            AccessExecutionGraph graph = cluster.getExecutionGraph(job.getJobID()).get();
            LOG.info(
                    "hostile input: {} records tried ({} dead-letter, by kind {}), {} valid"
                            + " impressions; {} samples, {} dead letters by reason {}; job {}"
                            + " failure {}",
                    corpus.size(),
                    expectedDead,
                    HostileCorpus.countByKind(corpus),
                    valid.impressions.size(),
                    samples.size(),
                    dlq.size(),
                    byReason(dlq),
                    graph.getState(),
                    graph.getFailureInfo() == null
                            ? "none"
                            : graph.getFailureInfo().getExceptionAsString());

            assertThat(graph.getFailureInfo()).as("a failure of the job").isNull();
            assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING)).as("restarted at").isZero();
            assertThat(graph.getState()).isEqualTo(JobStatus.RUNNING);
            // A region failover restarts tasks without the job ever leaving RUNNING; every task
            // restart starts a new execution attempt, so attempt 0 everywhere means none happened.
            for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
                assertThat(v.getCurrentExecutionAttempt().getAttemptNumber())
                        .as("restarts of " + v.getTaskNameWithSubtaskIndex())
                        .isZero();
            }

            assertThat(late).as("late engagements").isEmpty();
            assertDeadLetters(dlq, sent, expectedDead, config.limits().maxRecordBytes());

            Map<String, Integer> perImpression = new HashMap<>();
            samples.forEach(s -> perImpression.merge(s.impressionId(), 1, Integer::sum));
            assertThat(perImpression)
                    .as("one sample per impression")
                    .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            assertThat(perImpression.keySet()).containsExactlyInAnyOrderElementsOf(sampleFor);
            for (Sample s : samples) {
                Map<String, Integer> labels = valid.expectedLabels.get(s.impressionId());
                if (labels != null) {
                    assertThat(s.labels()).as(s.impressionId()).isEqualTo(labels);
                }
            }
        } finally {
            job.cancel().get();
        }
    }

    /** Sends valid and hostile records in event-time order; returns hostile records by offset. */
    private static Map<String, HostileRecord> send(
            KafkaBroker kafka, Topics topics, ValidTraffic valid, List<HostileRecord> corpus) {
        List<HostileRecord> all = new ArrayList<>();
        for (ValidTraffic.Event e : valid.impressions) {
            all.add(asRecord(e));
        }
        for (ValidTraffic.Event e : valid.engagements) {
            all.add(asRecord(e));
        }
        all.addAll(corpus); // after the valid ones: a stable sort keeps storms behind originals
        all.sort(Comparator.comparingLong(HostileRecord::at));
        Map<String, HostileRecord> byOffset = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (HostileRecord r : all) {
                String topic =
                        r.topic().equals("impressions")
                                ? topics.impressions()
                                : topics.engagements();
                acks.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
            }
            KafkaBroker.awaitAll(producer, acks);
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).kind() != null) {
                    RecordMetadata m = acks.get(i).get();
                    byOffset.put(m.topic() + "/" + m.partition() + "/" + m.offset(), all.get(i));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not send the corpus", e);
        }
        return byOffset;
    }

    private static HostileRecord asRecord(ValidTraffic.Event e) {
        return new HostileRecord(
                e.topic(),
                null,
                Outcome.SAMPLE,
                null,
                e.id().getBytes(StandardCharsets.UTF_8),
                e.value(),
                e.time());
    }

    private static void assertDeadLetters(
            List<ConsumerRecord<byte[], byte[]>> dlq,
            Map<String, HostileRecord> sent,
            long expectedDead,
            int maxRecordBytes) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            String source =
                    header(r, DeadLetter.HEADER_TOPIC)
                            + "/"
                            + header(r, DeadLetter.HEADER_PARTITION)
                            + "/"
                            + header(r, DeadLetter.HEADER_OFFSET);
            HostileRecord original = sent.get(source);
            String reason = header(r, DeadLetter.HEADER_REASON);
            if (seen.merge(source, 1, Integer::sum) > 1) {
                problems.add("dead-lettered twice: " + source);
            } else if (original == null || original.outcome() != Outcome.DEAD_LETTER) {
                problems.add(
                        "dead-lettered but "
                                + (original == null ? "valid" : original.kind().toString())
                                + ": "
                                + source
                                + " "
                                + reason
                                + " "
                                + header(r, DeadLetter.HEADER_DETAIL));
            } else if (!original.reason().equals(reason)) {
                problems.add(source + " " + original.kind() + ": reason " + reason);
            } else if (!sameBytes(original.value(), r.value(), r, maxRecordBytes)) {
                problems.add(source + " " + original.kind() + ": value is not the original");
            } else if (header(r, DeadLetter.HEADER_DETAIL) == null) {
                problems.add(source + " " + original.kind() + ": no detail");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(seen)
                .as("every hostile record dead-lettered, lost = 0")
                .hasSize((int) expectedDead);
    }

    private static boolean sameBytes(
            byte[] original, byte[] kept, ConsumerRecord<?, ?> r, int maxRecordBytes) {
        if ("true".equals(header(r, DeadLetter.HEADER_TRUNCATED))) {
            return kept.length == maxRecordBytes
                    && Arrays.equals(Arrays.copyOf(original, maxRecordBytes), kept);
        }
        return original == null ? kept == null || kept.length == 0 : Arrays.equals(original, kept);
    }

    private static List<Sample> samples(KafkaBroker kafka, PipelineConfig config, int expected) {
        SampleCodec codec = new SampleCodec();
        List<Sample> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.readCommitted(config.topics().samples(), expected, WAIT, SETTLE)) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }

    private static Map<String, Integer> byReason(List<ConsumerRecord<byte[], byte[]>> dlq) {
        Map<String, Integer> counts = new TreeMap<>();
        dlq.forEach(r -> counts.merge(header(r, DeadLetter.HEADER_REASON), 1, Integer::sum));
        return counts;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
