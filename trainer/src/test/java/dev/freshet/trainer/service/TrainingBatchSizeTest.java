package dev.freshet.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.freshet.manifest.Manifest;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import org.junit.jupiter.api.Test;

/** The service's batch size with and without {@code memory_budget}, and what the manifest says. */
class TrainingBatchSizeTest {

    private static final ModelLayout LAYOUT =
            ModelLayout.of(SyntheticSamples.generate(10, 1, SyntheticSamples.Shape.small()).spec());

    @Test
    void withoutABudgetTheConfiguredBatchSizeIsUsed() {
        TrainerServiceConfig config =
                TrainerConfigFile.parse("trainer: {batch_size: 300}", TrainerConfigFileTest.STATE);

        TrainingBatchSize chosen =
                TrainingBatchSize.choose(config, config.model(), LAYOUT, Device.cpu());

        assertThat(chosen.size()).isEqualTo(300);
        assertThat(chosen.manifest()).isEqualTo(new Manifest.Training(300, null));
    }

    @Test
    void aBudgetMeasuresEachCandidateAndPicksAtMostTheBatchSize() {
        TrainerServiceConfig config =
                TrainerConfigFile.parse(
                        """
                        trainer: {batch_size: 100, memory_budget: 1.0}
                        model:
                          tasks: [{name: click}, {name: save}]
                          mlp: [16]
                        """,
                        TrainerConfigFileTest.STATE);

        TrainingBatchSize chosen =
                TrainingBatchSize.choose(config, config.model(), LAYOUT, Device.cpu());

        // All of the device is the budget: whatever this JVM holds, the largest candidate fits.
        assertThat(chosen.size()).isEqualTo(100);
        Manifest.MemoryBudget budget = chosen.manifest().memoryBudget();
        assertThat(chosen.manifest().batchSize()).isEqualTo(100);
        assertThat(budget.fraction()).isEqualTo(1.0);
        assertThat(budget.deviceBytes()).isPositive().isEqualTo(budget.budgetBytes());
        assertThat(budget.probes())
                .extracting(Manifest.Probe::batchSize)
                .containsExactly(16, 32, 64, 100);
        assertThat(budget.probes()).allMatch(p -> p.fits() && p.peakBytes() > 0);
        assertThat(budget.peakBytes())
                .isEqualTo(budget.probes().get(3).peakBytes())
                .isLessThanOrEqualTo(budget.budgetBytes());
    }
}
