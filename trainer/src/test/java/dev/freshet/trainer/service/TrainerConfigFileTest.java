package dev.freshet.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainerConfigFileTest {

    static final Path STATE = Path.of("state");

    @Test
    void everyKeyIsReadAndTheRestDefaults() {
        TrainerServiceConfig c =
                TrainerConfigFile.parse(
                        """
                        trainer:
                          model_name: homefeed
                          batch_size: 1024
                          publish_every: 90s
                          publish_every_samples: 20000
                          gate: {spike_sigmas: 4, replay_steps: 0, min_trained_samples: 5}
                        model:
                          tasks: [{name: click}, {name: save}]
                        pipeline:
                          tasks: {click: 10m}
                        """,
                        STATE);
        assertThat(c.modelName()).isEqualTo("homefeed");
        assertThat(c.batchSize()).isEqualTo(1024);
        assertThat(c.publishEvery()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.publishEverySamples()).isEqualTo(20_000);
        assertThat(c.gate().spikeSigmas()).isEqualTo(4.0);
        assertThat(c.gate().replaySteps()).isZero();
        assertThat(c.gate().minTrainedSamples()).isEqualTo(5);
        assertThat(c.gate().maxPredictionDrift()).isEqualTo(0.1);
        assertThat(c.model().taskNames()).containsExactly("click", "save");
        assertThat(c.samplesTopic()).isEqualTo("samples");
        assertThat(c.stateDir()).isEqualTo(STATE);
        assertThat(c.device()).isEqualTo("cpu");
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> TrainerConfigFile.parse("trainer: {batch: 5}", STATE))
                .hasMessageContaining("trainer.batch: unknown key");
        assertThatThrownBy(() -> TrainerConfigFile.parse("trainer: {gate: {sigma: 5}}", STATE))
                .hasMessageContaining("trainer.gate.sigma: unknown key");
        assertThatThrownBy(() -> TrainerConfigFile.parse("trainer: {publish_every: soon}", STATE))
                .hasMessageContaining("trainer.publish_every");
        assertThatThrownBy(() -> TrainerConfigFile.parse("trainer: {model_name: ../x}", STATE))
                .hasMessageContaining("trainer.model_name");
        assertThatThrownBy(() -> TrainerConfigFile.parse("trainer: {device: tpu}", STATE))
                .hasMessageContaining("trainer.device");
        assertThatThrownBy(() -> TrainerConfigFile.parse("trainer: {batch_size: big}", STATE))
                .hasMessageContaining("trainer.batch_size: expected a number");
    }

    @Test
    void memoryBudgetIsOffUnlessSetAndMustBeAFraction() {
        assertThat(TrainerConfigFile.parse("trainer: {batch_size: 64}", STATE).memoryBudget())
                .isNull();
        assertThat(
                        TrainerConfigFile.parse(
                                        "trainer: {batch_size: 4096, memory_budget: 0.6}", STATE)
                                .memoryBudget())
                .isEqualTo(0.6);
        assertThat(TrainerConfigFile.parse("trainer: {memory_budget: 1}", STATE).memoryBudget())
                .isEqualTo(1.0);
        for (String bad : new String[] {"0", "1.5", "-0.2"}) {
            assertThatThrownBy(
                            () ->
                                    TrainerConfigFile.parse(
                                            "trainer: {memory_budget: " + bad + "}", STATE))
                    .hasMessageContaining("trainer.memory_budget")
                    .hasMessageContaining("(0, 1]");
        }
        assertThatThrownBy(() -> TrainerConfigFile.parse("trainer: {memory_budget: most}", STATE))
                .hasMessageContaining("trainer.memory_budget: expected a number");
    }
}
