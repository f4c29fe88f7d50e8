package dev.freshet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The truth a model is measured against: it changes nothing, and it is the real probability. */
class TruthTest {

    private static final SimulatorConfig CONFIG = SimulatorConfig.defaults();
    private static final int REQUESTS = 20_000;

    @Test
    void askingForTheTruthChangesNoRecord() {
        TrafficModel plain = new TrafficModel(CONFIG, Traffic.START);
        TrafficModel told = new TrafficModel(CONFIG, Traffic.START);
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            long t = Traffic.START + 100L * n;
            assertThat(told.request(t, (id, truth) -> ids.add(id))).isEqualTo(plain.request(t));
        }
        assertThat(ids).hasSize(300 * CONFIG.itemsPerRequest()).doesNotHaveDuplicates();
    }

    @Test
    void theTruthIsCalibratedAndRanksWhatHappens() {
        TrafficModel model = new TrafficModel(CONFIG.withShares(0, 0, 0), Traffic.START);
        Map<String, Truth> truths = new HashMap<>();
        Map<String, Set<String>> happened = new HashMap<>();
        for (int n = 0; n < REQUESTS; n++) {
            for (ScheduledEvent e : model.request(Traffic.START + 100L * n, truths::put)) {
                if (e.kind() == ScheduledEvent.Kind.ENGAGEMENT) {
                    String json = new String(e.value(), java.nio.charset.StandardCharsets.UTF_8);
                    String type = json.replaceAll(".*\"type\":\"(\\w+)\".*", "$1");
                    happened.computeIfAbsent(e.key(), k -> new HashSet<>()).add(type);
                }
            }
        }
        for (String task : List.of("click", "save", "hide", "pay")) {
            double expected = truths.values().stream().mapToDouble(t -> t.of(task)).sum();
            long actual =
                    truths.keySet().stream()
                            .filter(id -> happened.getOrDefault(id, Set.of()).contains(task))
                            .count();
            assertThat((double) actual)
                    .as("%s: observed vs the sum of true probabilities", task)
                    .isCloseTo(expected, within(4 * Math.sqrt(expected) + 0.02 * expected));
        }
        // The top tenth by true p(click) is clicked far more often than the bottom tenth.
        List<String> byClick = new ArrayList<>(truths.keySet());
        byClick.sort((a, b) -> Double.compare(truths.get(a).click(), truths.get(b).click()));
        int tenth = byClick.size() / 10;
        assertThat(rate(byClick.subList(byClick.size() - tenth, byClick.size()), happened))
                .isGreaterThan(5 * rate(byClick.subList(0, tenth), happened));
    }

    private static double rate(List<String> ids, Map<String, Set<String>> happened) {
        return ids.stream()
                        .filter(id -> happened.getOrDefault(id, Set.of()).contains("click"))
                        .count()
                / (double) ids.size();
    }
}
