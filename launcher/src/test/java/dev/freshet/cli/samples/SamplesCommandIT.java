package dev.freshet.cli.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.cli.CliRun;
import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.sample.SampleJson;
import dev.freshet.flink.kafka.Outbound;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code freshet samples} on records produced here, as the pipeline would write them. */
@ExtendWith(KafkaBrokerExtension.class)
class SamplesCommandIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void topics(KafkaBroker kafka) {
        // One partition each, so the order of what we print is the order we wrote.
        kafka.createTopics(1, "samples", "freshet.dlq", "late-engagements");
    }

    @Test
    void printsSamplesAsTheirJsonViewAndUndecodableRecordsAsErrors(KafkaBroker kafka) {
        SampleCodec codec = new SampleCodec();
        Sample first = sample("r1:0", Map.of("click", 1, "save", 0), "raw");
        Sample second = sample("r1:1", Map.of("click", 0, "save", 0), "spec-abc");
        kafka.send(
                "samples",
                List.of(
                        new byte[][] {utf8("r1:0"), codec.encode(first)},
                        new byte[][] {utf8("r1:1"), codec.encode(second)},
                        new byte[][] {utf8("junk"), {(byte) 0xC3, 0x01, 1, 2, 3}},
                        new byte[][] {
                            utf8("r1:2"), codec.encode(sample("r1:2", Map.of(), "raw"))
                        }));

        CliRun run =
                CliRun.of(
                        "samples",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--max",
                        "3",
                        "--timeout",
                        "30s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.outLines().get(0)).isEqualTo(SampleJson.toJsonLine(first));
        assertThat(run.outLines().get(1)).isEqualTo(SampleJson.toJsonLine(second));
        JsonNode error = json(run.outLines().get(2));
        assertThat(error.get("error").asText()).contains("not a Freshet sample");
        assertThat(error.get("partition").asInt()).isZero();
        assertThat(error.get("offset").asLong()).isEqualTo(2);
        assertThat(run.err()).contains("read 3 record(s) from samples");
    }

    @Test
    void printsDeadLettersWithReasonSourceAndOriginalBytes(KafkaBroker kafka) {
        byte[] notUtf8 = {'{', (byte) 0xFF, '}'};
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            producer.send(
                    deadLetter(
                            utf8("i7"),
                            utf8("{\"impression_id\": 7}"),
                            "wrong_type",
                            "impression_id: expected a string",
                            "impressions",
                            2,
                            41,
                            false));
            producer.send(
                    deadLetter(
                            null, notUtf8, "unparseable", "not JSON", "engagements", 0, 3, true));
            producer.flush();
        }

        // No --max: runs until the timeout, and prints exactly what is there.
        CliRun run =
                CliRun.of(
                        "samples",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic",
                        "freshet.dlq",
                        "--timeout",
                        "3s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(2);
        JsonNode first = json(run.outLines().get(0));
        assertThat(first.get("reason").asText()).isEqualTo("wrong_type");
        assertThat(first.get("detail").asText()).isEqualTo("impression_id: expected a string");
        assertThat(first.get("source_topic").asText()).isEqualTo("impressions");
        assertThat(first.get("source_partition").asInt()).isEqualTo(2);
        assertThat(first.get("source_offset").asLong()).isEqualTo(41);
        assertThat(first.get("truncated").asBoolean()).isFalse();
        assertThat(first.get("value").asText()).isEqualTo("{\"impression_id\": 7}");
        assertThat(first.get("value_base64").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(utf8("{\"impression_id\": 7}")));
        assertThat(first.get("key").asText()).isEqualTo("i7");

        JsonNode second = json(run.outLines().get(1));
        assertThat(second.get("reason").asText()).isEqualTo("unparseable");
        assertThat(second.get("value").isNull()).as("not UTF-8: only base64").isTrue();
        assertThat(Base64.getDecoder().decode(second.get("value_base64").asText()))
                .isEqualTo(notUtf8);
        assertThat(second.get("truncated").asBoolean()).isTrue();
        assertThat(second.get("key").isNull()).isTrue();
    }

    @Test
    void printsLateEngagementsWithTheirReason(KafkaBroker kafka) {
        ProducerRecord<byte[], byte[]> late =
                new ProducerRecord<>(
                        "late-engagements",
                        utf8("i1"),
                        utf8(
                                "{\"engagement_id\":\"e1\",\"impression_id\":\"i1\",\"type\":\"click\",\"event_time\":5}"));
        late.headers().add(Outbound.LATE_REASON_HEADER, utf8("after_emit"));
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            producer.send(late);
        }

        CliRun run =
                CliRun.of(
                        "samples",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic",
                        "late-engagements",
                        "--max",
                        "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "{\"engagement_id\":\"e1\",\"impression_id\":\"i1\",\"type\":\"click\","
                                + "\"event_time\":5,\"reason\":\"after_emit\"}");
    }

    @Test
    void aTopicThatNeverAppearsIsAFailure(KafkaBroker kafka) {
        CliRun run =
                CliRun.of(
                        "samples",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic",
                        "no-such-topic",
                        "--timeout",
                        "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .containsExactly(
                        "freshet samples: topic 'no-such-topic' does not exist on "
                                + kafka.bootstrapServers()
                                + " (waited 1s)");
    }

    private static ProducerRecord<byte[], byte[]> deadLetter(
            byte[] key,
            byte[] value,
            String reason,
            String detail,
            String topic,
            int partition,
            long offset,
            boolean truncated) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("freshet.dlq", key, value);
        r.headers().add(new RecordHeader(DeadLetter.HEADER_REASON, utf8(reason)));
        r.headers().add(new RecordHeader(DeadLetter.HEADER_DETAIL, utf8(detail)));
        r.headers().add(new RecordHeader(DeadLetter.HEADER_TOPIC, utf8(topic)));
        r.headers()
                .add(
                        new RecordHeader(
                                DeadLetter.HEADER_PARTITION, utf8(Integer.toString(partition))));
        r.headers().add(new RecordHeader(DeadLetter.HEADER_OFFSET, utf8(Long.toString(offset))));
        if (truncated) {
            r.headers().add(new RecordHeader(DeadLetter.HEADER_TRUNCATED, utf8("true")));
        }
        return r;
    }

    private static Sample sample(String impressionId, Map<String, Integer> labels, String spec) {
        return new Sample(
                impressionId,
                "r1",
                "u1",
                "i9",
                3,
                1_732_262_400_123L,
                1_732_262_460_000L,
                spec,
                labels,
                1.0f,
                Map.of("price", 0.25f),
                List.of("distance_km"),
                Map.of("category", new long[] {17L}),
                Map.of(),
                Map.of("user_seq", new float[] {0.5f, -1f}));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
