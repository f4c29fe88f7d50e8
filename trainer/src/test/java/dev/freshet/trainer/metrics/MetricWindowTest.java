package dev.freshet.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.manifest.TaskMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricWindowTest {

    private static final List<String> TASKS = List.of("click", "save");
    private static final int K = TASKS.size();

    /**
     * 57 random samples go in through batches of 4, 7, 23 (larger than the capacity of 20), single
     * adds and a final batch of 11; the window must report exactly the metrics of the newest 20,
     * computed directly.
     */
    @Test
    void wrapAroundKeepsOnlyTheNewestSamples() {
        int capacity = 20;
        int total = 57;
        Random random = new Random(42);
        String[] ids = new String[total];
        float[] probs = new float[total * K];
        float[] labels = new float[total * K];
        float[] mask = new float[total * K];
        float[] weights = new float[total];
        for (int i = 0; i < total; i++) {
            ids[i] = "r" + i / 4; // requests of 4, cut by batch and ring boundaries
            weights[i] = 0.5f + random.nextInt(3);
            for (int t = 0; t < K; t++) {
                probs[i * K + t] = Math.round(random.nextFloat() * 10) / 10f; // ties
                labels[i * K + t] = random.nextFloat() < 0.4 ? 1 : 0;
                boolean present = random.nextFloat() < 0.85;
                mask[i * K + t] = present ? 1 : 0;
                if (!present) {
                    labels[i * K + t] = Float.NaN; // must never be read
                }
            }
        }

        MetricWindow window = new MetricWindow(TASKS, capacity, "save", 3);
        int[] batches = {4, 7, 23, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 11};
        assertThat(Arrays.stream(batches).sum()).isEqualTo(total);
        int at = 0;
        for (int batch : batches) {
            if (batch == 1) {
                boolean[] present = {mask[at * K] == 1, mask[at * K + 1] == 1};
                window.add(
                        ids[at],
                        Arrays.copyOfRange(probs, at * K, at * K + K),
                        Arrays.copyOfRange(labels, at * K, at * K + K),
                        present,
                        weights[at]);
            } else {
                window.addBatch(
                        Arrays.copyOfRange(ids, at, at + batch),
                        Arrays.copyOfRange(probs, at * K, (at + batch) * K),
                        Arrays.copyOfRange(labels, at * K, (at + batch) * K),
                        Arrays.copyOfRange(mask, at * K, (at + batch) * K),
                        Arrays.copyOfRange(weights, at, at + batch),
                        batch);
            }
            at += batch;
        }

        assertThat(window.size()).isEqualTo(capacity);
        assertThat(window.totalSamples()).isEqualTo(total);

        int from = total - capacity;
        List<TaskMetrics> expected = new ArrayList<>();
        HitAtK.Result expectedHit = null;
        for (int t = 0; t < K; t++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = from; i < total; i++) {
                if (mask[i * K + t] == 1) {
                    rows.add(i);
                }
            }
            int m = rows.size();
            String[] rid = new String[m];
            float[] p = new float[m];
            float[] y = new float[m];
            float[] w = new float[m];
            for (int j = 0; j < m; j++) {
                int i = rows.get(j);
                rid[j] = ids[i];
                p[j] = probs[i * K + t];
                y[j] = labels[i * K + t];
                w[j] = weights[i];
            }
            expected.add(
                    new TaskMetrics(
                            TASKS.get(t),
                            m,
                            Auc.auc(p, y, w, m),
                            LogLoss.logLoss(p, y, w, m),
                            Calibration.calibration(p, y, w, m),
                            Calibration.weightedMean(p, w, m),
                            Calibration.weightedMean(y, w, m)));
            if (TASKS.get(t).equals("save")) {
                expectedHit = HitAtK.compute(rid, p, y, m, 3);
            }
        }
        // The comparison is only meaningful if the numbers are real ones.
        for (TaskMetrics metrics : expected) {
            assertThat(metrics.auc()).isBetween(0.0, 1.0);
            assertThat(metrics.calibration()).isPositive();
        }
        assertThat(expectedHit.requestsWithPositive()).isPositive();

        assertThat(window.taskMetrics()).isEqualTo(expected);
        assertThat(window.hit()).isEqualTo(expectedHit);
    }

    /**
     * Four samples (rows 0..3), columns (click, save):
     *
     * <pre>
     *   row 0: p (0.9, 0.1)  y (1, 0)  present (yes, yes)
     *   row 1: p (0.8, 0.2)  y (0, 1)  present (no,  no)
     *   row 2: p (0.3, 0.9)  y (0, 0)  present (yes, yes)
     *   row 3: p (0.1, 0.4)  y (1, 1)  present (no,  yes)
     * </pre>
     *
     * Click counts rows 0 and 2 only: samples 2, AUC 1 (0.9 positive over 0.3 negative), mean
     * prediction 0.6, mean label 0.5, calibration 1.2. Counting rows 1 and 3 would put the 0.1
     * positive below both negatives and make AUC 2/4.
     */
    @Test
    void absentLabelsAreExcludedPerTask() {
        MetricWindow window = new MetricWindow(TASKS, 10, "save", 3);
        window.addBatch(
                new String[] {"a", "a", "a", "a"},
                new float[] {0.9f, 0.1f, 0.8f, 0.2f, 0.3f, 0.9f, 0.1f, 0.4f},
                new float[] {1, 0, 0, 1, 0, 0, 1, 1},
                new float[] {1, 1, 0, 0, 1, 1, 0, 1},
                null,
                4);

        TaskMetrics click = window.taskMetrics().get(0);
        assertThat(click.task()).isEqualTo("click");
        assertThat(click.samples()).isEqualTo(2);
        assertThat(click.auc()).isEqualTo(1.0);
        assertThat(click.meanPrediction()).isCloseTo(0.6, within(1e-6));
        assertThat(click.meanLabel()).isCloseTo(0.5, within(1e-9));
        assertThat(click.calibration()).isCloseTo(1.2, within(1e-6));

        // Save counts rows 0, 2, 3: scores 0.1 y0, 0.9 y0, 0.4 y1. AUC: the positive 0.4 beats
        // 0.1 and loses to 0.9 -> 1/2. HIT@3: all 3 items are in the top 3, 1 positive -> 1 hit.
        // Row 1 (score 0.2, label 1 but absent) would rank third and add a hit if counted.
        TaskMetrics save = window.taskMetrics().get(1);
        assertThat(save.samples()).isEqualTo(3);
        assertThat(save.auc()).isEqualTo(0.5);
        assertThat(window.hit()).isEqualTo(new HitAtK.Result(1.0, 1, 1, 1));
    }

    @Test
    void totalsAndClear() {
        MetricWindow window = new MetricWindow(TASKS, 3);
        assertThat(window.size()).isZero();
        window.add("a", new float[] {0.1f, 0.2f}, new float[] {0, 1}, null, 1f);
        window.addBatch(
                new String[] {"b", "c"},
                new float[] {0.3f, 0.4f, 0.5f, 0.6f},
                new float[] {1, 0, 0, 1},
                null,
                null,
                2);
        assertThat(window.size()).isEqualTo(3);
        assertThat(window.totalSamples()).isEqualTo(3);
        window.addBatch(
                new String[] {"d", "e"},
                new float[] {0.3f, 0.4f, 0.5f, 0.6f},
                new float[] {1, 0, 0, 1},
                null,
                new float[] {1, 1},
                2);
        assertThat(window.size()).isEqualTo(3);
        assertThat(window.totalSamples()).isEqualTo(5);

        window.clear();
        assertThat(window.size()).isZero();
        assertThat(window.totalSamples()).isEqualTo(5);
        List<TaskMetrics> empty = window.taskMetrics();
        assertThat(empty).hasSize(2);
        assertThat(empty.get(0).samples()).isZero();
        assertThat(empty.get(0).auc()).isNaN();
        assertThat(empty.get(0).logLoss()).isNaN();

        // After clear the window fills from scratch: only the new sample counts.
        window.add("f", new float[] {0.7f, 0.8f}, new float[] {1, 1}, null, 2f);
        assertThat(window.size()).isEqualTo(1);
        assertThat(window.taskMetrics().get(0).meanPrediction()).isCloseTo(0.7, within(1e-6));
    }

    @Test
    void invalidBatchLeavesTheWindowUntouched() {
        MetricWindow window = new MetricWindow(TASKS, 5, "save", 3);
        window.add("a", new float[] {0.1f, 0.2f}, new float[] {0, 1}, null, 1f);
        // The second row's save label is 0.5, not 0 or 1.
        assertThatThrownBy(
                        () ->
                                window.addBatch(
                                        new String[] {"b", "c"},
                                        new float[] {0.3f, 0.4f, 0.5f, 0.6f},
                                        new float[] {1, 0, 0, 0.5f},
                                        null,
                                        null,
                                        2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(window.size()).isEqualTo(1);
        assertThat(window.totalSamples()).isEqualTo(1);
        // Too few probabilities for two rows of two tasks.
        assertThatThrownBy(
                        () ->
                                window.addBatch(
                                        new String[] {"b", "c"},
                                        new float[] {0.3f, 0.4f, 0.5f},
                                        new float[] {1, 0, 0, 1},
                                        null,
                                        null,
                                        2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(window.size()).isEqualTo(1);
    }

    @Test
    void hitWithoutAHitTaskIsAnError() {
        MetricWindow window = new MetricWindow(TASKS, 5);
        assertThat(window.hitTask()).isEmpty();
        assertThatThrownBy(window::hit).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new MetricWindow(TASKS, 5, "pay", 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
