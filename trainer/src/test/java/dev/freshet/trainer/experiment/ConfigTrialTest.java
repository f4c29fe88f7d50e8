package dev.freshet.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.memory.BatchSizePicker;
import dev.freshet.trainer.memory.DeviceMemory;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfigTrialTest {

    private static ExperimentData data;
    private static final ExperimentSettings SETTINGS =
            new ExperimentSettings(128, 0.25, 1, 3, 3, null, 1);
    private static final ModelConfig CONFIG = ModelConfigs.small(SyntheticSamples.TASKS);

    @BeforeAll
    static void data() {
        SyntheticSamples.Data synthetic =
                SyntheticSamples.generate(1600, 9, SyntheticSamples.Shape.small());
        data = new ExperimentData(synthetic.spec(), synthetic.samples());
    }

    @Test
    void theSameSeedTwiceGivesTheSameRunAndAReproducibilityOfZero() {
        ConfigResult result =
                new ConfigTrial(data, SETTINGS, Device.cpu())
                        .run("dcn2", CONFIG, List.of(7L, 7L), (s, n, step, steps) -> {});
        ExperimentTable table = ExperimentTable.of(List.of(result), "dcn2");

        RunResult first = result.runs().get(0);
        RunResult second = result.runs().get(1);
        assertThat(second.hit()).isEqualTo(first.hit());
        assertThat(second.tasks()).isEqualTo(first.tasks());
        assertThat(table.rows().get(0).hitStd()).isZero();
    }

    @Test
    void differentSeedsStartFromDifferentModels() {
        ConfigResult result =
                new ConfigTrial(data, SETTINGS, Device.cpu())
                        .run("dcn2", CONFIG, List.of(7L, 8L), (s, n, step, steps) -> {});

        assertThat(result.runs().get(1).tasks()).isNotEqualTo(result.runs().get(0).tasks());
        assertThat(ExperimentTable.of(List.of(result), "dcn2").rows().get(0).hitStd()).isFinite();
    }

    @Test
    void theHoldoutMustLeaveSamplesOnBothSides() {
        ExperimentSettings settings = new ExperimentSettings(128, 0.999, 1, 3, 3, null, 1);

        assertThat(settings.trainCount(1000)).isEqualTo(1);
        assertThatThrownBy(() -> settings.trainCount(100))
                .hasMessageContaining("leaves no samples to train on");
    }

    @Test
    void hitIsOnSaveUnlessTheConfigSaysOtherwise() {
        assertThat(ConfigTrial.hitTask(CONFIG)).isEqualTo("save");
        assertThat(ConfigTrial.hitTask(ModelConfigs.small(List.of("click")))).isEqualTo("click");
    }

    @Test
    void measuresRealTrainingStepsAndStaysUnderItsBudget() {
        SyntheticSamples.Data synthetic =
                SyntheticSamples.generate(600, 3, SyntheticSamples.Shape.small());
        ExperimentData data = new ExperimentData(synthetic.spec(), synthetic.samples());
        ExperimentSettings settings = new ExperimentSettings(256, 0.2, 1, 3, 1, 0.6, 1);
        ModelConfig config = ModelConfigs.small(SyntheticSamples.TASKS);

        BatchSizePicker.Picked picked =
                new ConfigTrial(data, settings, Device.cpu()).pickBatchSize(config, data.samples());

        assertThat(picked.deviceBytes())
                .isEqualTo(DeviceMemory.of(Device.cpu()).total())
                .isPositive();
        assertThat(picked.probes())
                .extracting(BatchSizePicker.Probe::batchSize)
                .containsExactly(16, 32, 64, 128, 256);
        assertThat(picked.probes()).allSatisfy(p -> assertThat(p.peakBytes()).isPositive());
        assertThat(picked.batchSize()).isEqualTo(256);
        assertThat(picked.peakBytes()).isLessThanOrEqualTo(picked.budgetBytes());
    }
}
