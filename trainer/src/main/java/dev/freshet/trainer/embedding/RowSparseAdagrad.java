package dev.freshet.trainer.embedding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adagrad on the touched rows only: each coordinate's squared gradients accumulate and scale its
 * step down. Unlike Adam, Adagrad's lazy form is exact: an untouched row has a zero gradient, for
 * which dense Adagrad changes neither the row nor its accumulator.
 */
public final class RowSparseAdagrad implements RowSparseOptimizer {

    private final float lr;
    private final float epsilon;
    private float[] sumSquares;

    public RowSparseAdagrad(int rows, int dim, double lr, double epsilon) {
        this.lr = (float) lr;
        this.epsilon = (float) epsilon;
        this.sumSquares = new float[rows * dim];
    }

    @Override
    public void update(EmbeddingTable table, int[] rows, int count, float[] gradients) {
        int dim = table.dim();
        float[] w = table.weights();
        for (int i = 0; i < count; i++) {
            int base = rows[i] * dim;
            int g0 = i * dim;
            for (int j = 0; j < dim; j++) {
                float g = gradients[g0 + j];
                int at = base + j;
                float s = sumSquares[at] + g * g;
                sumSquares[at] = s;
                w[at] -= lr * g / ((float) Math.sqrt(s) + epsilon);
            }
        }
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("adagrad_sum_squares", sumSquares);
        return state;
    }

    @Override
    public void restore(Map<String, Object> state) {
        sumSquares = OptimizerState.floats(state, "adagrad_sum_squares", sumSquares.length);
    }
}
