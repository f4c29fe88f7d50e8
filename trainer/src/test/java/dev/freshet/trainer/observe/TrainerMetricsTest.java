package dev.freshet.trainer.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrainerMetricsTest {

    /** A whole epoch second, so the fake clock lines up with the rate's one-second buckets. */
    private static final long T0 = 1_700_000_000_000L;

    private final TestingClock clock = new TestingClock(T0);
    private final TrainerMetrics metrics = new TrainerMetrics(clock);

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void appliedStepsCountSamplesAndSetLosses() {
        metrics.recordStep(100, true, 1.5, Map.of("click", 0.5f, "save", 0.25f), T0 - 1_000);
        metrics.recordStep(200, true, 0.75, Map.of("click", 0.125f), T0);

        assertThat(value("freshet_trainer_samples_total")).isEqualTo(300.0);
        assertThat(value("freshet_trainer_steps_total{outcome=\"applied\"}")).isEqualTo(2.0);
        assertThat(value("freshet_trainer_steps_total{outcome=\"skipped\"}")).isEqualTo(0.0);
        assertThat(value("freshet_trainer_loss")).isEqualTo(0.75);
        assertThat(value("freshet_trainer_task_loss{task=\"click\"}")).isEqualTo(0.125);
        assertThat(value("freshet_trainer_task_loss{task=\"save\"}")).isEqualTo(0.25);
    }

    @Test
    void skippedStepCountsOnlyAsSkipped() {
        metrics.recordStep(100, true, 1.0, Map.of("click", 0.5f), T0 - 5_000);
        metrics.recordStep(50, false, Double.NaN, Map.of("click", Float.NaN), T0);

        assertThat(value("freshet_trainer_steps_total{outcome=\"applied\"}")).isEqualTo(1.0);
        assertThat(value("freshet_trainer_steps_total{outcome=\"skipped\"}")).isEqualTo(1.0);
        assertThat(value("freshet_trainer_samples_total")).isEqualTo(100.0);
        assertThat(value("freshet_trainer_loss")).isEqualTo(1.0);
        assertThat(value("freshet_trainer_task_loss{task=\"click\"}")).isEqualTo(0.5);
        assertThat(value("freshet_trainer_freshness_seconds")).isEqualTo(5.0);
    }

    @Test
    void snapshotAgreesWithTheScrape() {
        metrics.recordStep(100, true, 1.5, Map.of("click", 0.5f), T0 - 4_000);
        metrics.lag(42);
        metrics.published("3", T0);
        metrics.candidateRejected();

        TrainerMetrics.Snapshot s = metrics.snapshot();

        assertThat(s.samples()).isEqualTo(100);
        assertThat(s.loss()).isEqualTo(1.5);
        assertThat(s.freshnessSeconds()).isEqualTo(4.0);
        assertThat(s.lag()).isEqualTo(42);
        assertThat(s.versionsPublished()).isEqualTo(1);
        assertThat(s.candidatesRejected()).isEqualTo(1);
        assertThat(s.publishingHalted()).isFalse();
        assertThat(s.samplesPerSecond()).isEqualTo(value("freshet_trainer_samples_per_second"));
    }

    @Test
    void perTaskGaugesAreRegisteredOnceOnFirstUse() {
        assertThat(Scrapes.lines(metrics.scrape(), "freshet_trainer_task_loss{task=\"click\"}"))
                .isEmpty();

        Map<String, Float> losses = Map.of("click", 0.5f, "save", 0.25f);
        metrics.recordStep(1, true, 0.75, losses, T0);
        long seriesAfterOneStep = freshetSeries();
        for (int i = 0; i < 1_000; i++) {
            metrics.recordStep(1, true, 0.75, losses, T0);
        }

        metrics.recordStep(1, true, 0.5, Map.of("click", 0.375f), T0);

        assertThat(freshetSeries()).isEqualTo(seriesAfterOneStep);
        assertThat(Scrapes.lines(metrics.scrape(), "freshet_trainer_task_loss{task=\"click\"}"))
                .containsExactly("freshet_trainer_task_loss{task=\"click\"} 0.375");
        assertThat(value("freshet_trainer_task_loss{task=\"save\"}")).isEqualTo(0.25);
    }

    @Test
    void samplesPerSecondIsTheRateOverTheLastThirtySeconds() {
        assertThat(value("freshet_trainer_samples_per_second")).isEqualTo(0.0);

        for (int second = 1; second <= 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            metrics.recordStep(30, true, 0.5, null, clock.millis());
        }
        // 300 samples in the 10 s the trainer has run.
        assertThat(value("freshet_trainer_samples_per_second")).isEqualTo(30.0);

        clock.advance(Duration.ofMillis(500));
        assertThat(value("freshet_trainer_samples_per_second")).isCloseTo(300 / 10.5, within(1e-9));

        // At 35 s the window starts at 5 s: the steps at 5..10 s (180 samples) remain.
        clock.advance(Duration.ofMillis(24_500));
        assertThat(value("freshet_trainer_samples_per_second")).isEqualTo(6.0);

        // At 41 s everything before 11 s has dropped out.
        clock.advance(Duration.ofSeconds(6));
        metrics.recordStep(90, true, 0.5, null, clock.millis());
        assertThat(value("freshet_trainer_samples_per_second")).isEqualTo(3.0);

        clock.advance(Duration.ofSeconds(31));
        assertThat(value("freshet_trainer_samples_per_second")).isEqualTo(0.0);
        assertThat(value("freshet_trainer_samples_total")).isEqualTo(390.0);
    }

    @Test
    void freshnessIsNowMinusTheNewestTrainedEventTime() {
        assertThat(value("freshet_trainer_freshness_seconds")).isNaN();
        metrics.recordStep(10, true, 0.5, null, 0); // event time unknown
        assertThat(value("freshet_trainer_freshness_seconds")).isNaN();

        metrics.recordStep(10, true, 0.5, null, T0 - 2_000);
        assertThat(value("freshet_trainer_freshness_seconds")).isEqualTo(2.0);

        clock.advance(Duration.ofSeconds(3));
        assertThat(value("freshet_trainer_freshness_seconds")).isEqualTo(5.0);

        // An older batch or an unknown event time does not move the newest event back.
        metrics.recordStep(10, true, 0.5, null, T0 - 60_000);
        metrics.recordStep(10, true, 0.5, null, 0);
        assertThat(value("freshet_trainer_freshness_seconds")).isEqualTo(5.0);

        metrics.recordStep(10, true, 0.5, null, clock.millis() - 250);
        assertThat(value("freshet_trainer_freshness_seconds")).isEqualTo(0.25);
    }

    @Test
    void lagIsTheLatestValue() {
        assertThat(value("freshet_trainer_consumer_lag_records")).isEqualTo(0.0);
        metrics.lag(1_234);
        assertThat(value("freshet_trainer_consumer_lag_records")).isEqualTo(1_234.0);
        metrics.lag(7);
        assertThat(value("freshet_trainer_consumer_lag_records")).isEqualTo(7.0);
    }

    @Test
    void quarantinedAndRejectedSamplesAreCountedByReason() {
        metrics.quarantined("spec_mismatch", 3);
        metrics.quarantined("spec_mismatch", 4);
        metrics.rejected("loss_spike", 2);
        metrics.rejected("non_finite", 5);

        assertThat(value("freshet_trainer_quarantined_samples_total{reason=\"spec_mismatch\"}"))
                .isEqualTo(7.0);
        assertThat(value("freshet_trainer_rejected_samples_total{reason=\"loss_spike\"}"))
                .isEqualTo(2.0);
        assertThat(value("freshet_trainer_rejected_samples_total{reason=\"non_finite\"}"))
                .isEqualTo(5.0);
    }

    @Test
    void reasonsThatAreNotShortCodesAreReportedAsOther() {
        String longest = "a".repeat(TrainerMetrics.MAX_CODE_LENGTH);
        metrics.rejected(longest, 1);
        metrics.rejected(longest + "a", 2);
        metrics.rejected("Loss Spike!", 4);
        metrics.rejected("bad\"}quote", 8);
        metrics.rejected(null, 16);
        metrics.quarantined("", 32);

        assertThat(value("freshet_trainer_rejected_samples_total{reason=\"" + longest + "\"}"))
                .isEqualTo(1.0);
        assertThat(value("freshet_trainer_rejected_samples_total{reason=\"other\"}"))
                .isEqualTo(2.0 + 4 + 8 + 16);
        assertThat(value("freshet_trainer_quarantined_samples_total{reason=\"other\"}"))
                .isEqualTo(32.0);
        assertThat(
                        metrics.scrape()
                                .lines()
                                .filter(line -> line.startsWith("freshet_trainer_rejected"))
                                .count())
                .isEqualTo(2);
        assertThat(TrainerMetrics.sanitize("spec_mismatch")).isEqualTo("spec_mismatch");
        assertThat(TrainerMetrics.sanitize("spec-mismatch")).isEqualTo("other");
    }

    @Test
    void distinctReasonsAreCappedAndTheRestCountAsOther() {
        int distinct = TrainerMetrics.MAX_CODES + 10;
        for (int i = 0; i < distinct; i++) {
            metrics.rejected("reason_" + i, 1);
        }

        String scrape = metrics.scrape();
        long series =
                scrape.lines()
                        .filter(line -> line.startsWith("freshet_trainer_rejected_samples_total{"))
                        .count();
        assertThat(series).isEqualTo(TrainerMetrics.MAX_CODES + 1);
        assertThat(
                        Scrapes.value(
                                scrape, "freshet_trainer_rejected_samples_total{reason=\"other\"}"))
                .hasValue(10.0);
        metrics.rejected("reason_0", 1);
        assertThat(value("freshet_trainer_rejected_samples_total{reason=\"reason_0\"}"))
                .isEqualTo(2.0);
    }

    @Test
    void gateVerdictsAreCountedByCheckAndVerdict() {
        metrics.gate("auc", true);
        metrics.gate("auc", true);
        metrics.gate("auc", false);
        metrics.gate("calibration", false);
        metrics.gate("Calibration Error %", true);

        assertThat(value("freshet_trainer_gate_verdicts_total{check=\"auc\",verdict=\"pass\"}"))
                .isEqualTo(2.0);
        assertThat(value("freshet_trainer_gate_verdicts_total{check=\"auc\",verdict=\"fail\"}"))
                .isEqualTo(1.0);
        assertThat(
                        value(
                                "freshet_trainer_gate_verdicts_total"
                                        + "{check=\"calibration\",verdict=\"fail\"}"))
                .isEqualTo(1.0);
        assertThat(
                        value(
                                "freshet_trainer_gate_verdicts_total"
                                        + "{check=\"calibration\",verdict=\"pass\"}"))
                .isEqualTo(0.0);
        assertThat(value("freshet_trainer_gate_verdicts_total{check=\"other\",verdict=\"pass\"}"))
                .isEqualTo(1.0);
    }

    @Test
    void publishingMetricsFollowThePublisher() {
        assertThat(value("freshet_trainer_last_publish_timestamp_seconds")).isNaN();
        assertThat(value("freshet_trainer_versions_published_total")).isEqualTo(0.0);
        assertThat(value("freshet_trainer_publishing_halted")).isEqualTo(0.0);

        metrics.published("v1", T0 + 1_500);
        assertThat(value("freshet_trainer_last_publish_timestamp_seconds"))
                .isEqualTo(1_700_000_001.5);
        metrics.published("v2", T0 + 60_000);
        assertThat(value("freshet_trainer_last_publish_timestamp_seconds"))
                .isEqualTo(1_700_000_060.0);
        assertThat(value("freshet_trainer_versions_published_total")).isEqualTo(2.0);

        metrics.candidateRejected();
        assertThat(value("freshet_trainer_candidates_rejected_total")).isEqualTo(1.0);

        metrics.publishFailures();
        metrics.publishFailures();
        metrics.publishFailures();
        assertThat(value("freshet_trainer_publish_failures_total")).isEqualTo(3.0);

        metrics.publishingHalted(true);
        assertThat(value("freshet_trainer_publishing_halted")).isEqualTo(1.0);
        metrics.publishingHalted(false);
        assertThat(value("freshet_trainer_publishing_halted")).isEqualTo(0.0);
    }

    @Test
    void jvmAndProcessMetersAreExported() {
        String scrape = metrics.scrape();

        assertThat(scrape.lines().anyMatch(line -> line.startsWith("jvm_memory_used_bytes{")))
                .isTrue();
        assertThat(scrape.lines().anyMatch(line -> line.startsWith("jvm_gc_max_data_size_bytes")))
                .isTrue();
        assertThat(Scrapes.value(scrape, "jvm_threads_live_threads").orElseThrow()).isPositive();
        assertThat(Scrapes.value(scrape, "system_cpu_count").orElseThrow()).isPositive();
        assertThat(Scrapes.value(scrape, "process_uptime_seconds").orElseThrow()).isPositive();
        // The soak test watches resident memory: heap plus the engine's native memory.
        assertThat(Scrapes.value(scrape, "process_resident_memory_bytes").orElseThrow())
                .isGreaterThan(1 << 20);
    }

    @Test
    void negativeCountsAreRejected() {
        assertThatThrownBy(() -> metrics.recordStep(-1, true, 0.5, null, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.lag(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.rejected("non_finite", -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.quarantined("spec_mismatch", -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(value("freshet_trainer_samples_total")).isEqualTo(0.0);
    }

    private double value(String series) {
        return Scrapes.value(metrics.scrape(), series)
                .orElseThrow(() -> new AssertionError("no series " + series + " in the scrape"));
    }

    private long freshetSeries() {
        return metrics.scrape().lines().filter(line -> line.startsWith("freshet_")).count();
    }
}
