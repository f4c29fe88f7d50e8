package dev.freshet.trainer.train;

import static dev.freshet.trainer.train.TrainingFixtures.FOUR_TASKS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.sample.Sample;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.metrics.Auc;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model learns the synthetic signal: on held-out samples every task's AUC rises well above
 * chance, closing most of the gap to the oracle (the true probabilities the data was drawn from).
 */
class LearningTest {

    static final int TRAIN = 32_000;
    static final int HELD_OUT = 4_000;

    @Test
    void heldOutAucClosesMostOfTheGapToTheOracleForEveryTask() {
        SyntheticSamples.Data data =
                SyntheticSamples.generate(TRAIN + HELD_OUT, 5, SyntheticSamples.Shape.small());
        ModelLayout layout = ModelLayout.of(data.spec());
        List<Sample> train = data.samples().subList(0, TRAIN);
        try (TrainingSession session = new TrainingSession(FOUR_TASKS, layout, 1)) {
            TrainingLoop loop = new TrainingLoop(session, 10_000);
            TrainingResult first = loop.run(batches(train, 256, 1));
            TrainingResult result = loop.run(batches(train, 256, 2));

            assertThat(result.steps()).isEqualTo(3 * TRAIN / 256);
            assertThat(result.skippedSteps()).isZero();
            Batch held =
                    new BatchAssembler(layout, FOUR_TASKS.taskNames())
                            .assemble(data.samples().subList(TRAIN, TRAIN + HELD_OUT))
                            .batch();
            float[] p = session.predict(held);
            for (int k = 0; k < 4; k++) {
                String task = FOUR_TASKS.taskNames().get(k);
                double auc = Auc.auc(column(p, k), column(held.labels(), k), null, held.size());
                double oracle =
                        Auc.auc(
                                column(data.truth(), k, TRAIN, HELD_OUT),
                                column(held.labels(), k),
                                null,
                                held.size());
                assertThat(auc).as(task).isGreaterThan(0.6);
                assertThat(auc - 0.5).as(task).isGreaterThan(0.5 * (oracle - 0.5));
                // Progressive (score-before-train) AUC improved from the first epoch's window.
                TaskMetrics before = first.metrics(task);
                TaskMetrics after = result.metrics(task);
                assertThat(after.auc()).as(task).isGreaterThan(before.auc());
            }
            assertThat(result.hit().hitsPerRequest()).isGreaterThan(first.hit().hitsPerRequest());
        }
    }

    static Iterator<List<Sample>> batches(List<Sample> samples, int size, int epochs) {
        List<List<Sample>> batches = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            for (int i = 0; i + size <= samples.size(); i += size) {
                batches.add(samples.subList(i, i + size));
            }
        }
        return batches.iterator();
    }

    static float[] column(float[] rowMajor, int k) {
        return column(rowMajor, k, 0, rowMajor.length / 4);
    }

    static float[] column(float[] rowMajor, int k, int from, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = rowMajor[(from + i) * 4 + k];
        }
        return out;
    }
}
