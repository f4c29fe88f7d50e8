package dev.freshet.bench.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.bench.report.Stats;
import org.junit.jupiter.api.Test;

class EventFreshnessTest {

    @Test
    void everyEventIsFreshUntilTheFirstVersionThatLearnedFromIt() {
        // Versions every 10 s, each 130 s behind its newest event: an event waits between 130 s
        // (the newest of its version) and 140 s (just after the previous version's newest).
        long t0 = 1_000_000_000_000L;
        double[] f =
                EventFreshness.seconds(
                        java.util.List.of(
                                ManifestsForTest.version(1, t0 + 130_000, t0),
                                ManifestsForTest.version(2, t0 + 140_000, t0 + 10_000),
                                ManifestsForTest.version(3, t0 + 150_000, t0 + 20_000)));

        assertThat(f).hasSize(200); // 20 s of event time after the first version, every 100 ms
        assertThat(Stats.quantile(f, 0.0)).isCloseTo(130.0, within(1e-9));
        assertThat(Stats.quantile(f, 1.0)).isCloseTo(139.9, within(1e-9));
        assertThat(Stats.quantile(f, 0.5)).isCloseTo(135.0, within(0.11));
    }
}
