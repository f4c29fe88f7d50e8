package dev.freshet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generator in synthetic time: determinism, validity, fault shares and learnable signal. */
class TrafficModelTest {

    private static final SimulatorConfig CONFIG = SimulatorConfig.defaults();
    private static final int REQUESTS = 20_000;

    private static Traffic traffic;

    @BeforeAll
    static void generate() {
        traffic = Traffic.generate(CONFIG, REQUESTS);
    }

    @Test
    void theSameSeedAndStartGiveTheSameBytesInTheSameOrder() {
        assertThat(Traffic.generate(CONFIG, 500).events())
                .isEqualTo(Traffic.generate(CONFIG, 500).events());
    }

    @Test
    void anotherSeedOrStartGivesOtherTraffic() {
        List<ScheduledEvent> base = Traffic.generate(CONFIG, 50).events();

        assertThat(Traffic.generate(CONFIG.withSeed(43), 50).events()).isNotEqualTo(base);
        TrafficModel later = new TrafficModel(CONFIG, Traffic.START + 1);
        assertThat(later.runId()).isNotEqualTo(new TrafficModel(CONFIG, Traffic.START).runId());
    }

    @Test
    void impressionsCarryTheProductsFieldsAndUniqueIds() {
        assertThat(traffic.impressions())
                .hasSize((int) traffic.count(ScheduledEvent.Kind.IMPRESSION));
        Impression i = traffic.impressions().values().iterator().next();
        assertThat(i.impressionId()).isEqualTo(i.requestId() + ":" + i.position());
        assertThat(i.userId()).isNotNull();
        assertThat(i.itemId()).isNotNull();
        assertThat(i.features().dense()).containsOnlyKeys("price", "item_ctr_7d", "distance_km");
        assertThat(i.features().sparse())
                .containsOnlyKeys(
                        "user_segment",
                        "city",
                        "category",
                        "item_id",
                        "user_id",
                        "tags",
                        "recent_items");
        assertThat(i.features().sparse().get("tags")).hasSizeBetween(1, 3);
        assertThat(traffic.engagements().stream().map(Engagement::engagementId).distinct())
                .hasSize(traffic.engagements().size());
        assertThat(traffic.engagements())
                .allSatisfy(e -> assertThat(e.type()).isIn(Engagements.TYPES));
    }

    @Test
    void denseValuesAreSometimesMissing() {
        double n = traffic.impressions().size();
        long noCtr = countMissing("item_ctr_7d");
        long noDistance = countMissing("distance_km");

        assertThat(noCtr / n).isCloseTo(0.10, within(0.01));
        assertThat(noDistance / n).isCloseTo(0.30, within(0.01));
    }

    @Test
    void everyMalformedRecordIsRejectedOrHasAnUnknownType() {
        EventParser parser = Traffic.parser(Traffic.START + 100L * REQUESTS);
        List<ScheduledEvent> malformed =
                traffic.events().stream()
                        .filter(e -> e.kind() == ScheduledEvent.Kind.MALFORMED)
                        .toList();

        assertThat(malformed).isNotEmpty();
        for (ScheduledEvent e : malformed) {
            String text = new String(e.value(), StandardCharsets.UTF_8);
            if (e.topic().equals(CONFIG.impressionsTopic())) {
                assertThat(parser.parseImpression(e.value()))
                        .as(text)
                        .isInstanceOf(ParseResult.Rejected.class);
            } else if (parser.parseEngagement(e.value()) instanceof ParseResult.Ok<Engagement> ok) {
                // Parses; the label join counts and ignores a type no task has.
                assertThat(ok.value().type()).as(text).isNotIn(Engagements.TYPES);
            }
        }
    }

    @Test
    void malformedAndDuplicateSharesAreTheConfiguredOnes() {
        long duplicates = traffic.count(ScheduledEvent.Kind.DUPLICATE);
        long originals = traffic.events().size() - duplicates;
        long malformed = traffic.count(ScheduledEvent.Kind.MALFORMED);

        assertThat((double) malformed / originals)
                .isCloseTo(CONFIG.malformedShare(), within(0.001));
        assertThat((double) duplicates / (originals - malformed))
                .isCloseTo(CONFIG.duplicateShare(), within(0.002));
        Set<String> sent =
                traffic.events().stream()
                        .filter(e -> e.kind() != ScheduledEvent.Kind.DUPLICATE)
                        .map(TrafficModelTest::keyAndBytes)
                        .collect(Collectors.toSet());
        assertThat(traffic.events())
                .filteredOn(e -> e.kind() == ScheduledEvent.Kind.DUPLICATE)
                .map(TrafficModelTest::keyAndBytes)
                .filteredOn(d -> !sent.contains(d))
                .as("duplicates of nothing sent")
                .isEmpty();
    }

    @Test
    void clickThroughFallsWithPosition() {
        double[] ctr = clickThroughByPosition();

        assertThat(ctr[1]).isGreaterThan(ctr[4]);
        assertThat(ctr[4]).isGreaterThan(ctr[8]);
        assertThat(ctr[1]).isGreaterThan(1.5 * ctr[8]);
    }

    /**
     * The pairs that click most in the first half of the traffic still click more than twice as
     * much as the worst pairs in the second half: the signal is structure, not noise.
     */
    @Test
    void segmentTimesCategoryCarriesSignalThatHoldsOutOfSample() {
        Map<String, double[]> firstHalf = ctrBySegmentAndCategory(true);
        Map<String, double[]> secondHalf = ctrBySegmentAndCategory(false);
        List<String> ranked =
                firstHalf.entrySet().stream()
                        .filter(e -> e.getValue()[0] >= 100)
                        .sorted(Comparator.comparingDouble(e -> e.getValue()[1] / e.getValue()[0]))
                        .map(Map.Entry::getKey)
                        .toList();
        assertThat(ranked).hasSizeGreaterThan(40);
        List<String> worst = ranked.subList(0, 10);
        List<String> best = ranked.subList(ranked.size() - 10, ranked.size());

        double bestCtr = pooledCtr(secondHalf, best);
        double worstCtr = pooledCtr(secondHalf, worst);

        assertThat(bestCtr).isGreaterThan(2 * worstCtr);
    }

    /**
     * recent_items, the user's earlier clicks, tells a model about the candidate: an item whose
     * category is among those of the sequence is clicked more than 1.5 times as often as one whose
     * category is not.
     */
    @Test
    void recentItemsPredictClicks() {
        Map<String, String> categoryOfItem = new HashMap<>();
        for (Impression i : traffic.impressions().values()) {
            categoryOfItem.put(i.itemId(), i.features().sparse().get("category").get(0));
        }
        Map<String, Long> clicks = clicksByImpression();
        double[] known = new double[2];
        double[] unknown = new double[2];
        for (Impression i : traffic.impressions().values()) {
            List<String> recent = i.features().sparse().get("recent_items");
            assertThat(recent).hasSizeLessThanOrEqualTo(RecentClicks.LENGTH);
            if (recent.isEmpty()) {
                continue;
            }
            Set<String> categories =
                    recent.stream().map(categoryOfItem::get).collect(Collectors.toSet());
            double[] c =
                    categories.contains(i.features().sparse().get("category").get(0))
                            ? known
                            : unknown;
            c[0]++;
            c[1] += clicks.getOrDefault(i.impressionId(), 0L);
        }
        assertThat(known[0] + unknown[0]).isGreaterThan(traffic.impressions().size() / 4.0);
        assertThat(known[1] / known[0]).isGreaterThan(1.5 * unknown[1] / unknown[0]);
    }

    @Test
    void someEngagementsComeBeforeTheirImpressionAndSomeVeryLate() {
        List<ScheduledEvent> early =
                traffic.events().stream()
                        .filter(e -> e.kind() == ScheduledEvent.Kind.EARLY_ENGAGEMENT)
                        .toList();
        assertThat(early).isNotEmpty();
        // Those whose impression was itself replaced by a malformed record have nothing to
        // compare with.
        assertThat(early)
                .filteredOn(e -> traffic.impressionSendAt().containsKey(e.key()))
                .allSatisfy(
                        e ->
                                assertThat(e.sendAtMillis())
                                        .isLessThan(traffic.impressionSendAt().get(e.key())));
        double engagements = traffic.engagements().size();
        assertThat(early.size() / engagements).isBetween(0.01, 0.03);

        long veryLate =
                traffic.engagements().stream()
                        .filter(e -> traffic.impressions().containsKey(e.impressionId()))
                        .filter(
                                e ->
                                        e.eventTime()
                                                        - traffic.impressions()
                                                                .get(e.impressionId())
                                                                .eventTime()
                                                > 120_000)
                        .count();
        assertThat(veryLate).isGreaterThan(0);
    }

    private static String keyAndBytes(ScheduledEvent e) {
        return e.topic() + " " + e.key() + " " + new String(e.value(), StandardCharsets.UTF_8);
    }

    private static long countMissing(String dense) {
        return traffic.impressions().values().stream()
                .filter(i -> i.features().dense().get(dense) == null)
                .count();
    }

    private static Map<String, Long> clicksByImpression() {
        return traffic.engagements().stream()
                .filter(e -> e.type().equals("click"))
                .collect(Collectors.groupingBy(Engagement::impressionId, Collectors.counting()));
    }

    private static double[] clickThroughByPosition() {
        Map<String, Long> clicks = clicksByImpression();
        double[] shown = new double[CONFIG.itemsPerRequest() + 1];
        double[] clicked = new double[shown.length];
        for (Impression i : traffic.impressions().values()) {
            shown[i.position()]++;
            clicked[i.position()] += clicks.getOrDefault(i.impressionId(), 0L);
        }
        double[] ctr = new double[shown.length];
        for (int p = 1; p < shown.length; p++) {
            ctr[p] = clicked[p] / shown[p];
        }
        return ctr;
    }

    /** (segment, category) -> {impressions, clicks}, over one half of the requests. */
    private static Map<String, double[]> ctrBySegmentAndCategory(boolean firstHalf) {
        Map<String, Long> clicks = clicksByImpression();
        long middle = Traffic.START + 100L * REQUESTS / 2;
        Map<String, double[]> out = new HashMap<>();
        for (Impression i : traffic.impressions().values()) {
            if ((i.eventTime() < middle) != firstHalf) {
                continue;
            }
            String pair =
                    i.features().sparse().get("user_segment").get(0)
                            + "x"
                            + i.features().sparse().get("category").get(0);
            double[] c = out.computeIfAbsent(pair, k -> new double[2]);
            c[0]++;
            c[1] += clicks.getOrDefault(i.impressionId(), 0L);
        }
        return out;
    }

    private static double pooledCtr(Map<String, double[]> counts, List<String> pairs) {
        double shown = 0;
        double clicked = 0;
        for (String p : pairs) {
            double[] c = counts.getOrDefault(p, new double[2]);
            shown += c[0];
            clicked += c[1];
        }
        return clicked / shown;
    }
}
