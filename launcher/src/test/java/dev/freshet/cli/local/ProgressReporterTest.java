package dev.freshet.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.TaskMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The line a person reads when a version is published. */
class ProgressReporterTest {

    private static final long T = 1_764_500_000_000L;

    @Test
    void aVersionLineNamesEveryGateVerdictTheAucsTheSamplesAndTheFreshness() {
        String line = ProgressReporter.versionLine(manifest(7, T - 42_000, T));

        assertThat(line)
                .startsWith("published  version 7  ")
                .contains("gates: finite pass, quality skipped")
                .contains("AUC click 0.712 save 0.655")
                .contains("samples +12,345")
                .endsWith("freshness 42 s");
    }

    @Test
    void freshnessIsCreationMinusTheNewestEventAndAbsentWithoutEvents() {
        assertThat(ProgressReporter.freshness(manifest(1, T - 1_500, T)))
                .contains(Duration.ofMillis(1_500));
        assertThat(ProgressReporter.freshness(manifest(1, null, T))).isEmpty();
        assertThat(ProgressReporter.versionLine(manifest(1, null, T))).doesNotContain("freshness");
    }

    private static Manifest manifest(long version, Long maxEventTime, long created) {
        Map<String, TaskMetrics> metrics = new LinkedHashMap<>();
        metrics.put("click", new TaskMetrics("click", 100, 0.7123, 0.4, 1.0, 0.1, 0.1));
        metrics.put("save", new TaskMetrics("save", 100, 0.6551, 0.2, 1.0, 0.05, 0.05));
        metrics.put("pay", new TaskMetrics("pay", 100, Double.NaN, Double.NaN, 1, 0, 0));
        Manifest.Counts counts = new Manifest.Counts(12_345, 12_345, 0, 0, 0);
        return new Manifest(
                Manifest.FORMAT,
                "ranking",
                version,
                "c" + version,
                Instant.ofEpochMilli(created).toString(),
                version > 1 ? version - 1 : null,
                List.of(),
                new Manifest.Lineage(
                        "samples",
                        Map.of(0, 12_345L),
                        counts,
                        counts,
                        maxEventTime == null ? null : maxEventTime - 60_000,
                        maxEventTime,
                        "spec",
                        "hash",
                        24),
                List.of(
                        CheckResult.of("finite", true, Map.of(), "ok"),
                        new CheckResult(
                                "quality", CheckResult.Verdict.SKIPPED, Map.of(), "no parent")),
                metrics,
                null);
    }
}
