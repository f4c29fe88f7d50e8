package dev.freshet.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.manifest.TaskMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentTableTest {

    private static final long MIB = 1 << 20;

    @Test
    void measuresGainsAndLatencyAgainstTheBaselineAndStdAcrossSeeds() {
        ConfigResult baseline = result("base", 1000, 0.40, 0.40, 2.0, 4.0);
        ConfigResult wider = result("wider", 3000, 0.44, 0.46, 3.0, 3.0);

        ExperimentTable table = ExperimentTable.of(List.of(baseline, wider), "base");

        ExperimentTable.Row base = table.rows().get(0);
        ExperimentTable.Row row = table.rows().get(1);
        assertThat(base.hitGainPercent()).isZero();
        assertThat(row.hit()).isCloseTo(0.45, within(1e-12));
        assertThat(row.hitGainPercent()).isCloseTo(12.5, within(1e-9));
        // Sample std (n - 1) of 0.44 and 0.46.
        assertThat(row.hitStd()).isCloseTo(Math.sqrt(2 * 0.0001), within(1e-12));
        // Latency is the fastest seed's: 3.0 against the baseline's 2.0.
        assertThat(row.latencyChangePercent()).isCloseTo(50.0, within(1e-9));
        assertThat(row.peakMemoryPercent()).isCloseTo(300.0 / 1024 * 100, within(1e-9));
        assertThat(row.auc()).containsExactly(0.7, 0.6);
        assertThat(table.hitLabel()).isEqualTo("HIT@3/save");
    }

    @Test
    void writesMarkdownAndCsvWithAColumnPerTask() {
        ExperimentTable table =
                ExperimentTable.of(
                        List.of(
                                result("base", 1000, 0.40, 0.40, 2.0, 2.0),
                                result("low,rank", 500, 0.38, 0.40, 1.0, 1.0)),
                        "base");

        String md = table.markdown();
        assertThat(md.lines().findFirst().orElseThrow())
                .contains("HIT@3/save", "gain %", "AUC click", "AUC save", "log loss save")
                .contains("peak memory % (MiB)", "latency change %", "std HIT@3/save");
        assertThat(md).contains("| **base** |", "| low,rank |", "| -2.50 |", "| -50.0 |");
        List<String> csv = table.csv().lines().toList();
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("config,seeds,batch_size,hit,gain_pct,auc_click");
        assertThat(csv.get(2)).startsWith("\"low,rank\",2,512,0.39,");
    }

    @Test
    void theBaselineMustBeOneOfTheConfigs() {
        assertThatThrownBy(
                        () ->
                                ExperimentTable.of(
                                        List.of(result("a", 1, 0.1, 0.1, 1, 1)), "missing"))
                .hasMessageContaining("the baseline missing is not one of the configs");
    }

    private static ConfigResult result(
            String name, long dense, double hit1, double hit2, double lat1, double lat2) {
        List<TaskMetrics> tasks =
                List.of(
                        new TaskMetrics("click", 100, 0.7, 0.5, 1.0, 0.2, 0.2),
                        new TaskMetrics("save", 100, 0.6, 0.3, 1.0, 0.1, 0.1));
        return new ConfigResult(
                name,
                "hash",
                "save",
                3,
                512,
                dense,
                10_000,
                300 * MIB,
                1024 * MIB,
                "cpu()",
                800,
                200,
                0,
                List.of(
                        new RunResult(1, tasks, hit1, 40, 10, 0, 1.0, lat1),
                        new RunResult(2, tasks, hit2, 40, 10, 0, 1.0, lat2)));
    }
}
