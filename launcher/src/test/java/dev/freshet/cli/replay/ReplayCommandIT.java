package dev.freshet.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshet replay} against a real broker. Both tests write the same two topics. */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayCommandIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(1);

    @TempDir Path tmp;

    @Test
    @Order(1)
    void jsonlEventsLandOnTheirTopicsInOrderAndOtherLinesOnImpressionsAsIs(KafkaBroker kafka)
            throws IOException {
        String malformed = "{\"impression_id\": \"broken\", ";
        String unknownTopic = "{\"topic\":\"clicks\",\"value\":{\"impression_id\":\"i9\"}}";
        Path file = tmp.resolve("events.jsonl");
        Files.writeString(
                file,
                String.join(
                                "\n",
                                impression("same", 1),
                                impression("same", 2),
                                "",
                                "{\"topic\":\"engagements\",\"value\":{\"engagement_id\":\"e1\","
                                        + "\"impression_id\":\"same\",\"type\":\"click\",\"event_time\":5}}",
                                malformed,
                                impression("same", 3),
                                unknownTopic)
                        + "\n");

        CliRun run =
                CliRun.of(
                        "replay",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--jsonl",
                        file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err())
                .contains(
                        "wrote 6 records",
                        "impressions=5 engagements=1",
                        "2 line(s) were not {\"topic\", \"value\"} events; written as-is to impressions");
        assertThat(run.out()).isEmpty();

        List<ConsumerRecord<byte[], byte[]>> impressions =
                kafka.readCommitted("impressions", 5, WAIT, SETTLE);
        assertThat(impressions).hasSize(5);
        assertThat(
                        impressions.stream()
                                .filter(r -> "same".equals(key(r)))
                                .map(ReplayCommandIT::value))
                .as("one key, one partition, file order")
                .containsExactly(
                        impressionValue("same", 1),
                        impressionValue("same", 2),
                        impressionValue("same", 3));
        assertThat(impressions.stream().filter(r -> r.key() == null).map(ReplayCommandIT::value))
                .containsExactlyInAnyOrder(malformed, unknownTopic);

        List<ConsumerRecord<byte[], byte[]>> engagements =
                kafka.readCommitted("engagements", 1, WAIT, SETTLE);
        assertThat(engagements)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(key(r)).isEqualTo("same");
                            assertThat(value(r)).startsWith("{\"engagement_id\":\"e1\"");
                        });
    }

    @Test
    @Order(2)
    void openBanditReplayWritesTheRequestedNumberOfEvents(KafkaBroker kafka) {
        Path data = OpenBanditData.dir();

        CliRun run =
                CliRun.of(
                        "replay",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--open-bandit",
                        data.toString(),
                        "--limit",
                        "300",
                        "--click-delay-max",
                        "30s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err())
                .contains(
                        "Open Bandit: 40000 impressions, ",
                        " clicks from 4 logs",
                        "wrote 300 records");
        Matcher counts =
                Pattern.compile("impressions=(\\d+) engagements=(\\d+)").matcher(run.err());
        assertThat(counts.find()).as(run.err()).isTrue();
        int impressions = Integer.parseInt(counts.group(1));
        int engagements = Integer.parseInt(counts.group(2));
        assertThat(impressions + engagements).isEqualTo(300);
        // Plus the 5 impressions and 1 engagement left by the JSONL test.
        assertThat(kafka.readCommitted("impressions", impressions + 5, WAIT, SETTLE))
                .filteredOn(ReplayCommandIT::fromOpenBandit)
                .hasSize(impressions);
        assertThat(kafka.readCommitted("engagements", engagements + 1, WAIT, SETTLE))
                .filteredOn(ReplayCommandIT::fromOpenBandit)
                .hasSize(engagements)
                .allSatisfy(r -> assertThat(value(r)).contains("\"type\":\"click\""));
    }

    private static boolean fromOpenBandit(ConsumerRecord<byte[], byte[]> r) {
        String key = key(r);
        return key != null && (key.startsWith("bts-") || key.startsWith("random-"));
    }

    private static String impression(String id, long time) {
        return "{\"topic\": \"impressions\", \"value\": " + impressionValue(id, time) + "}";
    }

    private static String impressionValue(String id, long time) {
        return "{\"impression_id\":\""
                + id
                + "\",\"request_id\":\"r\",\"event_time\":"
                + time
                + "}";
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String value(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }
}
