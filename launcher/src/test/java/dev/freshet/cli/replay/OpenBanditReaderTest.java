package dev.freshet.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.ParseResult;
import dev.freshet.flink.config.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real Open Bandit sample: 4 logs x 10,000 impressions. */
class OpenBanditReaderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Duration MAX_DELAY = Duration.ofSeconds(60);

    private static Path dir;
    private static List<OpenBanditFiles.Log> logs;
    private static List<ReplayEvent> events;

    @TempDir Path tmp;

    @BeforeAll
    static void read() throws IOException {
        dir = OpenBanditData.dir();
        logs = OpenBanditFiles.find(dir);
        events = reader(42, TimeBase.NOW).read(logs);
    }

    @Test
    void findsTheFourLogsAndSkipsCampaignsWithoutOne() {
        assertThat(logs)
                .extracting(l -> l.policy() + "/" + l.campaign())
                .containsExactly("bts/men", "bts/women", "random/men", "random/women");
        assertThat(logs).allSatisfy(l -> assertThat(l.itemContext()).isNotNull());
    }

    @Test
    void everyRowIsAnImpressionAndEveryClickAnEngagement() throws IOException {
        assertThat(count("impressions")).isEqualTo(40_000);
        assertThat(count("engagements")).isEqualTo(clickedRows()).isPositive();
    }

    @Test
    void clicksComeAfterTheirImpressionWithinTheMaximumDelay() throws IOException {
        Map<String, Long> impressionTimes = new HashMap<>();
        for (ReplayEvent e : events) {
            if (e.topic().equals("impressions")) {
                impressionTimes.put(e.impressionId(), e.eventTime());
            }
        }
        for (ReplayEvent e : events) {
            if (e.topic().equals("engagements")) {
                JsonNode click = JSON.readTree(e.value());
                long delay =
                        e.eventTime() - impressionTimes.get(click.get("impression_id").asText());
                assertThat(delay).isBetween(1000L, MAX_DELAY.toMillis());
                assertThat(click.get("event_time").asLong()).isEqualTo(e.eventTime());
                assertThat(click.get("type").asText()).isEqualTo("click");
                assertThat(click.get("engagement_id").asText())
                        .isEqualTo(click.get("impression_id").asText() + ":click");
            }
        }
    }

    @Test
    void eventsAreInEventTimeOrderEndingTwoDelaysBeforeNow() {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).eventTime())
                    .isGreaterThanOrEqualTo(events.get(i - 1).eventTime());
        }
        long newestImpression =
                events.stream()
                        .filter(e -> e.topic().equals("impressions"))
                        .mapToLong(ReplayEvent::eventTime)
                        .max()
                        .orElseThrow();
        assertThat(newestImpression).isEqualTo(NOW.toEpochMilli() - 2 * MAX_DELAY.toMillis());
        assertThat(events.get(events.size() - 1).eventTime()).isLessThan(NOW.toEpochMilli());
    }

    @Test
    void sameSeedSameReplayOtherSeedOtherClickTimes() throws IOException {
        List<ReplayEvent> again = reader(42, TimeBase.NOW).read(logs);
        List<ReplayEvent> other = reader(7, TimeBase.NOW).read(logs);

        assertThat(again).hasSameSizeAs(events);
        for (int i = 0; i < events.size(); i++) {
            assertThat(again.get(i).eventTime()).isEqualTo(events.get(i).eventTime());
            assertThat(again.get(i).impressionId()).isEqualTo(events.get(i).impressionId());
            assertThat(again.get(i).value()).isEqualTo(events.get(i).value());
        }
        assertThat(clickTimes(other)).isNotEqualTo(clickTimes(events));
    }

    @Test
    void impressionsCarryTheLoggedFeaturesUnderTheOriginalTime() throws IOException {
        List<ReplayEvent> original = reader(42, TimeBase.ORIGINAL).read(logs);

        JsonNode first =
                original.stream()
                        .filter(e -> e.impressionId().equals("bts-men-0"))
                        .map(e -> tree(e.value()))
                        .findFirst()
                        .orElseThrow();

        // bts/men/men.csv row 0: 2019-11-24 00:01:03.979311+00:00, item 2, position 2, p=0.045525
        assertThat(first.get("event_time").asLong())
                .isEqualTo(Instant.parse("2019-11-24T00:01:03.979Z").toEpochMilli());
        assertThat(first.get("request_id").asText())
                .isEqualTo("bts-men-2019-11-24 00:01:03.979311+00:00");
        assertThat(first.get("item_id").asText()).isEqualTo("men-2");
        assertThat(first.get("position").asInt()).isEqualTo(2);
        assertThat(first.get("user_id").asText()).matches("u[0-9a-f]{16}");
        JsonNode dense = first.get("dense");
        assertThat(dense.get("propensity_score").asDouble()).isEqualTo(0.045525);
        assertThat(dense.has("item_feature_0")).isTrue();
        assertThat(dense.has("user-item_affinity_0")).isTrue();
        assertThat(dense.has("user-item_affinity_33")).isTrue();
        JsonNode sparse = first.get("sparse");
        assertThat(sparse.get("user_feature_0").asText())
                .isEqualTo("cef3390ed299c09874189c387777674a");
        assertThat(sparse.get("campaign").asText()).isEqualTo("men");
        assertThat(sparse.get("policy").asText()).isEqualTo("bts");
        assertThat(sparse.has("item_feature_1")).isTrue();
    }

    @Test
    void everyEventIsValidPipelineInput() {
        EventParser parser =
                new EventParser(EventLimits.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC));
        for (ReplayEvent e : events) {
            ParseResult<?> parsed =
                    e.topic().equals("impressions")
                            ? parser.parseImpression(e.value())
                            : parser.parseEngagement(e.value());
            assertThat(parsed).as(new String(e.value())).isInstanceOf(ParseResult.Ok.class);
        }
    }

    @Test
    void unknownItemsHaveNoItemFeaturesAndLogsWithoutItemContextStillRead() throws IOException {
        Path campaign = Files.createDirectories(tmp.resolve("random/all"));
        Files.writeString(
                campaign.resolve("all.csv"),
                String.join(
                        "\n",
                        ",timestamp,item_id,position,click,propensity_score,user_feature_0,user_feature_1,"
                                + "user_feature_2,user_feature_3,user-item_affinity_0",
                        "0,2019-11-24 00:00:01+00:00,5,1,1,0.0125,a,b,c,d,0.5",
                        ""));

        List<ReplayEvent> read = reader(1, TimeBase.ORIGINAL).read(OpenBanditFiles.find(tmp));

        assertThat(read).hasSize(2);
        JsonNode imp = tree(read.get(0).value());
        assertThat(imp.get("impression_id").asText()).isEqualTo("random-all-0");
        assertThat(imp.get("event_time").asLong())
                .isEqualTo(Instant.parse("2019-11-24T00:00:01Z").toEpochMilli());
        assertThat(imp.get("dense").has("item_feature_0")).isFalse();
        assertThat(imp.get("sparse").has("item_feature_1")).isFalse();
        assertThat(read.get(1).topic()).isEqualTo("engagements");
    }

    private static OpenBanditReader reader(long seed, TimeBase base) {
        return new OpenBanditReader(
                Topics.DEFAULTS, seed, MAX_DELAY, base, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static long count(String topic) {
        return events.stream().filter(e -> e.topic().equals(topic)).count();
    }

    private static List<Long> clickTimes(List<ReplayEvent> list) {
        return list.stream()
                .filter(e -> e.topic().equals("engagements"))
                .map(ReplayEvent::eventTime)
                .sorted()
                .toList();
    }

    /** Counted independently of the reader: the click column of every log. */
    private static long clickedRows() throws IOException {
        long clicks = 0;
        for (OpenBanditFiles.Log log : logs) {
            try (Stream<String> lines = Files.lines(log.log())) {
                List<String> all = lines.toList();
                int column = List.of(all.get(0).split(",", -1)).indexOf("click");
                clicks +=
                        all.stream()
                                .skip(1)
                                .filter(l -> l.split(",", -1)[column].equals("1"))
                                .count();
            }
        }
        return clicks;
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
