package dev.freshet.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole experiment: one worker process per config, the same samples, a complete table. */
class ExperimentRunnerTest {

    @TempDir Path work;

    @Test
    void trainsEveryConfigWithEverySeedAndFillsTheTable() throws Exception {
        SyntheticSamples.Data synthetic =
                SyntheticSamples.generate(3000, 5, SyntheticSamples.Shape.small());
        ExperimentData data = new ExperimentData(synthetic.spec(), synthetic.samples());
        List<ExperimentConfig> configs =
                List.of(
                        new ExperimentConfig("dcn2", ModelConfigs.small(SyntheticSamples.TASKS)),
                        new ExperimentConfig(
                                "low-rank",
                                ModelConfigs.withInteraction(
                                        SyntheticSamples.TASKS,
                                        "{type: dcn_low_rank, cross_layers: 2, rank: 4}")));
        List<String> events = new ArrayList<>();
        ExperimentSettings settings = new ExperimentSettings(128, 0.25, 2, 3, 5, null, 1);

        List<ConfigResult> results =
                new ExperimentRunner(work, List.of("-Xmx1g"))
                        .run(data, configs, List.of(1L, 2L), settings, false, recorder(events));
        ExperimentTable table = ExperimentTable.of(results, "dcn2");

        assertThat(results).extracting(ConfigResult::name).containsExactly("dcn2", "low-rank");
        for (ConfigResult r : results) {
            assertThat(r.runs()).extracting(RunResult::seed).containsExactly(1L, 2L);
            assertThat(r.trainSamples()).isEqualTo(2250);
            assertThat(r.holdoutSamples()).isEqualTo(750);
            assertThat(r.hitTask()).isEqualTo("save");
            assertThat(r.peakMemoryBytes()).isPositive().isLessThan(r.deviceMemoryBytes());
            assertThat(r.runs()).allSatisfy(run -> assertThat(run.steps()).isEqualTo(36));
        }
        assertThat(results.get(1).denseParams()).isLessThan(results.get(0).denseParams());
        assertThat(table.tasks()).containsExactlyElementsOf(SyntheticSamples.TASKS);
        for (ExperimentTable.Row row : table.rows()) {
            assertThat(row.hit()).isFinite().isPositive();
            assertThat(row.hitStd()).isFinite();
            assertThat(Arrays.stream(row.auc()).boxed())
                    .allSatisfy(auc -> assertThat(auc).isBetween(0.0, 1.0));
            assertThat(Arrays.stream(row.logLoss()).boxed())
                    .allSatisfy(loss -> assertThat(loss).isFinite().isPositive());
            assertThat(row.peakMemoryPercent()).isBetween(0.0, 100.0);
            assertThat(row.latencyMillis()).isPositive();
        }
        assertThat(table.rows().get(0).hitGainPercent()).isZero();
        assertThat(table.markdown()).contains("**dcn2**", "low-rank", "HIT@3/save", "AUC pay");
        assertThat(table.csv().lines()).hasSize(3);
        // Progress was reported for every config, ending at the last step of the last seed.
        assertThat(events)
                .contains("start 0 dcn2", "start 1 low-rank", "0 1/2 36/36", "1 1/2 36/36");
        assertThat(work.resolve("01-dcn2.log")).exists();
    }

    @Test
    void aFailingConfigNamesItselfAndShowsTheEndOfItsLog() throws Exception {
        SyntheticSamples.Data synthetic =
                SyntheticSamples.generate(200, 5, SyntheticSamples.Shape.small());
        ExperimentData data = new ExperimentData(synthetic.spec(), synthetic.samples());
        // A task the samples never carry: nothing to train on, which the worker refuses.
        ExperimentConfig unknownTask =
                new ExperimentConfig("no-such-task", ModelConfigs.small(List.of("purchase")));

        assertThatThrownBy(
                        () ->
                                new ExperimentRunner(work, List.of())
                                        .run(
                                                data,
                                                List.of(unknownTask),
                                                List.of(1L),
                                                ExperimentSettings.defaults(),
                                                false,
                                                recorder(new ArrayList<>())))
                .isInstanceOf(ExperimentException.class)
                .hasMessageContaining("no-such-task: the worker failed (exit 1)")
                .hasMessageContaining("task purchase has no label in any of the 200 samples");
        assertThat(Files.exists(work.resolve("01-no-such-task.result.json"))).isFalse();
    }

    @Test
    void workersGetTheSameHeapSizedFromTheData() {
        assertThat(ExperimentRunner.heapBytes(1_000)).isEqualTo(1L << 30);
        assertThat(ExperimentRunner.heapBytes(100L << 20)).isEqualTo((1600L + 512) << 20);
    }

    private static ExperimentRunner.Listener recorder(List<String> events) {
        return new ExperimentRunner.Listener() {
            @Override
            public void started(int config, int configs, String name) {
                events.add("start " + config + " " + name);
            }

            @Override
            public void progress(int config, int seedIndex, int seeds, long step, long steps) {
                events.add(config + " " + seedIndex + "/" + seeds + " " + step + "/" + steps);
            }

            @Override
            public void finished(int config, ConfigResult result) {
                events.add("done " + config);
            }
        };
    }
}
