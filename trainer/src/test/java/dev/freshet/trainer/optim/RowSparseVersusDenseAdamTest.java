package dev.freshet.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.freshet.trainer.embedding.EmbeddingTable;
import dev.freshet.trainer.embedding.RowSparseAdagrad;
import dev.freshet.trainer.embedding.RowSparseAdam;
import dev.freshet.trainer.engine.TorchRuntime;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.model.Params;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The row-sparse optimizers against dense references: {@link RowSparseAdam} takes the same steps as
 * dense Adam (PyTorch's formula, run on PyTorch through {@link DenseAdam}) on rows every batch
 * touches, leaves untouched rows and their state alone, and differs from dense Adam only in the
 * documented lazy way; {@link RowSparseAdagrad} equals a float64 Adagrad.
 */
class RowSparseVersusDenseAdamTest {

    static final int ROWS = 50;
    static final int DIM = 4;
    static final double LR = 0.05;

    @Test
    void touchedRowsFollowDenseAdamAndUntouchedRowsStayPut() {
        int[] touched = {3, 7, 11};
        Run run = new Run();
        for (int step = 0; step < 6; step++) {
            run.step(touched, run.random(touched.length));
        }
        for (int r = 0; r < ROWS; r++) {
            int row = r;
            float[] sparse = run.sparseRow(row);
            float[] dense = run.denseRow(row);
            if (Arrays.stream(touched).anyMatch(t -> t == row)) {
                for (int j = 0; j < DIM; j++) {
                    assertThat(sparse[j])
                            .as("row %d col %d", row, j)
                            .isCloseTo(dense[j], offset(2e-6f));
                }
                assertThat(sparse).isNotEqualTo(run.initialRow(row));
            } else {
                assertThat(sparse).as("untouched row %d", row).isEqualTo(run.initialRow(row));
                assertThat(dense).as("untouched row %d", row).isEqualTo(run.initialRow(row));
            }
        }
        run.close();
    }

    @Test
    void aRowLeftOutIsNotMovedByStaleMomentsUnlikeDenseAdam() {
        Run run = new Run();
        run.step(new int[] {20, 21}, run.random(2));
        float[] afterFirst = run.sparseRow(20);
        float[] denseAfterFirst = run.denseRow(20);
        for (int step = 0; step < 3; step++) {
            run.step(new int[] {21}, run.random(1));
        }
        // Lazy: row 20 keeps the value of its last update.
        assertThat(run.sparseRow(20)).isEqualTo(afterFirst);
        // Dense Adam keeps moving it with its decaying first moment: the documented difference.
        assertThat(run.denseRow(20)).isNotEqualTo(denseAfterFirst);
        run.close();
    }

    @Test
    void rowSparseAdagradEqualsFloat64Adagrad() {
        SplittableRandom random = new SplittableRandom(9);
        EmbeddingTable table = new EmbeddingTable("t", ROWS, DIM).initialize(random.split());
        double[] reference = new double[ROWS * DIM];
        double[] sums = new double[ROWS * DIM];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = table.weights()[i];
        }
        RowSparseAdagrad adagrad = new RowSparseAdagrad(ROWS, DIM, LR, 1e-8);
        int[] rows = {2, 9, 40};
        for (int step = 0; step < 5; step++) {
            float[] grads = new float[rows.length * DIM];
            for (int i = 0; i < grads.length; i++) {
                grads[i] = (float) random.nextGaussian();
            }
            adagrad.update(table, rows, rows.length, grads);
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < DIM; j++) {
                    int at = rows[i] * DIM + j;
                    double g = grads[i * DIM + j];
                    sums[at] += g * g;
                    reference[at] -= LR * g / (Math.sqrt(sums[at]) + 1e-8);
                }
            }
        }
        for (int i = 0; i < reference.length; i++) {
            assertThat((double) table.weights()[i]).isCloseTo(reference[i], offset(1e-5));
        }
        float[] state = (float[]) adagrad.state().get("adagrad_sum_squares");
        assertThat(state[0]).isZero();
        assertThat(state[2 * DIM]).isPositive();
    }

    /** One table trained side by side by both optimizers from the same start. */
    static final class Run implements AutoCloseable {
        final SplittableRandom random = new SplittableRandom(17);
        final EmbeddingTable table = new EmbeddingTable("t", ROWS, DIM).initialize(random.split());
        final float[] initial = table.weights().clone();
        final RowSparseAdam sparse = new RowSparseAdam(ROWS, DIM, LR, 0.9, 0.999, 1e-8);
        final Engine engine = TorchRuntime.engine(1);
        final NDManager manager = engine.newBaseManager();
        final Param param;
        final DenseAdam dense;

        Run() {
            Params params = new Params();
            param = params.declare("table", new Shape(ROWS, DIM), Param.Init.ZEROS);
            params.initialize(manager, new SplittableRandom(0));
            param.set(initial);
            dense = new DenseAdam(manager, params, LR, 0.9, 0.999, 1e-8);
        }

        float[] random(int rows) {
            float[] g = new float[rows * DIM];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) random.nextGaussian();
            }
            return g;
        }

        void step(int[] rows, float[] grads) {
            sparse.update(table, rows, rows.length, grads);
            float[] full = new float[ROWS * DIM];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(grads, i * DIM, full, rows[i] * DIM, DIM);
            }
            try (NDManager step = manager.newSubManager()) {
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray g = step.create(full, new Shape(ROWS, DIM));
                    collector.backward(g.mul(param.array()).sum());
                }
                dense.step(step);
            }
        }

        float[] initialRow(int row) {
            return Arrays.copyOfRange(initial, row * DIM, (row + 1) * DIM);
        }

        float[] sparseRow(int row) {
            return Arrays.copyOfRange(table.weights(), row * DIM, (row + 1) * DIM);
        }

        float[] denseRow(int row) {
            return Arrays.copyOfRange(param.array().toFloatArray(), row * DIM, (row + 1) * DIM);
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
