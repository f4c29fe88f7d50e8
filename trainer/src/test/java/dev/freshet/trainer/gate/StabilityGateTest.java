package dev.freshet.trainer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import dev.freshet.trainer.train.TrainingSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StabilityGateTest {

    static final StabilityGate GATE = new StabilityGate(GateConfig.defaults());

    @Test
    void theFiniteCheckFindsANanInATableAndAValueBeyondTheBound() {
        ModelLayout layout = ModelLayout.of(SyntheticSamples.spec(SyntheticSamples.Shape.small()));
        try (TrainingSession s = new TrainingSession(ModelConfig.defaults(), layout, 1)) {
            assertThat(GATE.finite(s).verdict()).isEqualTo(CheckResult.Verdict.PASS);
            s.embeddings().tables().get(2).weights()[7] = Float.NaN;
            CheckResult nan = GATE.finite(s);
            assertThat(nan.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
            assertThat(nan.inputs()).containsEntry("non_finite", 1L);
            assertThat(nan.detail()).contains("embedding.category");
            s.embeddings().tables().get(2).weights()[7] = 2e4f;
            CheckResult big = GATE.finite(s);
            assertThat(big.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
            assertThat(big.inputs()).containsEntry("max_abs", 2e4);
        }
    }

    @Test
    void replayPassesOnlyWithinTolerance() {
        assertThat(GATE.replay(new StabilityGate.ReplayOutcome(4, 0, 0, true)).verdict())
                .isEqualTo(CheckResult.Verdict.PASS);
        CheckResult drifted = GATE.replay(new StabilityGate.ReplayOutcome(4, 1e-3, 0, false));
        assertThat(drifted.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(drifted.inputs()).containsEntry("max_parameter_difference", 1e-3);
        assertThat(GATE.replay(new StabilityGate.ReplayOutcome(0, 0, 0, true)).verdict())
                .isEqualTo(CheckResult.Verdict.SKIPPED);
    }

    @Test
    void predictionDriftIsTheMeanAbsoluteChangeOnTheProbeSet() {
        float[] before = {0.1f, 0.5f, 0.9f, 0.3f};
        StabilityGate.Published published =
                new StabilityGate.Published("7", 1_000_000, before, Map.of());
        CheckResult small = GATE.predictionDrift(new float[] {0.15f, 0.45f, 0.9f, 0.3f}, published);
        assertThat(small.verdict()).isEqualTo(CheckResult.Verdict.PASS);
        assertThat((double) small.inputs().get("mean_abs_change"))
                .isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-6));
        CheckResult large = GATE.predictionDrift(new float[] {0.9f, 0.1f, 0.1f, 0.9f}, published);
        assertThat(large.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(large.inputs()).containsEntry("against", "7");
        assertThat(GATE.predictionDrift(before, null).verdict())
                .isEqualTo(CheckResult.Verdict.SKIPPED);
        StabilityGate.Published young = new StabilityGate.Published("1", 10, before, Map.of());
        assertThat(GATE.predictionDrift(new float[] {0.9f, 0.1f, 0.1f, 0.9f}, young).verdict())
                .isEqualTo(CheckResult.Verdict.SKIPPED);
    }

    @Test
    void qualityFailsOnAnAucDropOrALogLossRiseBeyondTheBounds() {
        TaskMetrics before = new TaskMetrics("click", 5_000, 0.75, 0.50, 1.0, 0.3, 0.3);
        StabilityGate.Published published =
                new StabilityGate.Published("3", 1_000_000, null, Map.of("click", before));
        TaskMetrics same = new TaskMetrics("click", 5_000, 0.74, 0.52, 1.0, 0.3, 0.3);
        assertThat(GATE.quality(List.of(same), published).verdict())
                .isEqualTo(CheckResult.Verdict.PASS);
        TaskMetrics worse = new TaskMetrics("click", 5_000, 0.65, 0.52, 1.0, 0.3, 0.3);
        CheckResult auc = GATE.quality(List.of(worse), published);
        assertThat(auc.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(auc.detail()).contains("click AUC 0.65");
        TaskMetrics lossy = new TaskMetrics("click", 5_000, 0.75, 0.70, 1.0, 0.3, 0.3);
        assertThat(GATE.quality(List.of(lossy), published).verdict())
                .isEqualTo(CheckResult.Verdict.FAIL);
        TaskMetrics few = new TaskMetrics("click", 10, 0.5, 0.9, 1.0, 0.3, 0.3);
        assertThat(GATE.quality(List.of(few), published).verdict())
                .isEqualTo(CheckResult.Verdict.SKIPPED);
    }

    @Test
    void aTaskWithTooFewPositivesInEitherWindowIsNotJudged() {
        // pay: 5,000 samples at 1% = 50 positives, under the default 100. Its AUC and log loss
        // are far worse, which with so few positives is noise; click still decides.
        TaskMetrics clickBefore = new TaskMetrics("click", 5_000, 0.75, 0.50, 1.0, 0.3, 0.3);
        TaskMetrics payBefore = new TaskMetrics("pay", 5_000, 0.90, 0.05, 1.0, 0.01, 0.01);
        StabilityGate.Published published =
                new StabilityGate.Published(
                        "3", 1_000_000, null, Map.of("click", clickBefore, "pay", payBefore));
        TaskMetrics click = new TaskMetrics("click", 5_000, 0.76, 0.49, 1.0, 0.3, 0.3);
        TaskMetrics pay = new TaskMetrics("pay", 5_000, 0.70, 0.09, 1.0, 0.01, 0.01);

        CheckResult rare = GATE.quality(List.of(click, pay), published);

        assertThat(rare.verdict()).isEqualTo(CheckResult.Verdict.PASS);
        assertThat(rare.inputs()).containsEntry("too_few_positives", List.of("pay"));
        // With 500 positives in each window the same drop fails.
        TaskMetrics payMany = new TaskMetrics("pay", 50_000, 0.70, 0.09, 1.0, 0.01, 0.01);
        StabilityGate.Published manyBefore =
                new StabilityGate.Published(
                        "3",
                        1_000_000,
                        null,
                        Map.of(
                                "click",
                                clickBefore,
                                "pay",
                                new TaskMetrics("pay", 50_000, 0.90, 0.05, 1.0, 0.01, 0.01)));
        assertThat(GATE.quality(List.of(click, payMany), manyBefore).verdict())
                .isEqualTo(CheckResult.Verdict.FAIL);
    }
}
