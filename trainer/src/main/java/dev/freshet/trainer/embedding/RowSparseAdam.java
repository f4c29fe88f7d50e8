package dev.freshet.trainer.embedding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with lazy, per-row state (the semantics of TensorFlow's LazyAdam, with per-row bias
 * correction). A touched row takes exactly the step dense Adam (PyTorch's formula) would take if
 * that row's step count were its own count of updates; an untouched row is left alone, whereas
 * dense Adam would keep moving it with decaying moments. For rows touched every step the two are
 * identical. Per-row step counts (not the global step) keep a rarely seen id's first updates
 * properly bias-corrected.
 */
public final class RowSparseAdam implements RowSparseOptimizer {

    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    /**
     * 1 − β^t for t = 0 .. the cache length, so a row's bias correction is a lookup, not two {@code
     * Math.pow} calls per row per step; past the cache both are 1 to float precision.
     */
    private final float[] bc1Cache;

    private final float[] bc2SqrtCache;
    private float[] m;
    private float[] v;
    private int[] steps;

    public RowSparseAdam(int rows, int dim, double lr, double beta1, double beta2, double epsilon) {
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.m = new float[rows * dim];
        this.v = new float[rows * dim];
        this.steps = new int[rows];
        int cache = 1 << 15;
        this.bc1Cache = new float[cache];
        this.bc2SqrtCache = new float[cache];
        for (int t = 1; t < cache; t++) {
            bc1Cache[t] = (float) (1 - Math.pow(beta1, t));
            bc2SqrtCache[t] = (float) Math.sqrt(1 - Math.pow(beta2, t));
        }
    }

    @Override
    public void update(EmbeddingTable table, int[] rows, int count, float[] gradients) {
        int dim = table.dim();
        float[] w = table.weights();
        for (int i = 0; i < count; i++) {
            int row = rows[i];
            int t = ++steps[row];
            float bc1 = t < bc1Cache.length ? bc1Cache[t] : 1f;
            float bc2Sqrt = t < bc2SqrtCache.length ? bc2SqrtCache[t] : 1f;
            float stepSize = lr / bc1;
            int base = row * dim;
            int g0 = i * dim;
            for (int j = 0; j < dim; j++) {
                float g = gradients[g0 + j];
                int at = base + j;
                float mj = beta1 * m[at] + (1 - beta1) * g;
                float vj = beta2 * v[at] + (1 - beta2) * g * g;
                m[at] = mj;
                v[at] = vj;
                w[at] -= stepSize * mj / ((float) Math.sqrt(vj) / bc2Sqrt + epsilon);
            }
        }
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("adam_m", m);
        state.put("adam_v", v);
        state.put("adam_steps", steps);
        return state;
    }

    @Override
    public void restore(Map<String, Object> state) {
        m = OptimizerState.floats(state, "adam_m", m.length);
        v = OptimizerState.floats(state, "adam_v", v.length);
        steps = OptimizerState.ints(state, "adam_steps", steps.length);
    }
}
