package dev.freshet.trainer.embedding;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sparse half of the model: one {@link EmbeddingTable} per field, mean pooling of each sample's
 * bag of rows, and the backward pass that routes the pooled gradient to the rows and hands them to
 * a {@link RowSparseOptimizer}. Pooling and scattering run in plain Java in a fixed order, so they
 * are deterministic by construction; PyTorch sees only the pooled B x F x dim block.
 */
public final class SparseEmbeddings {

    private final List<EmbeddingTable> tables = new ArrayList<>();
    private final List<RowSparseOptimizer> optimizers = new ArrayList<>();
    private final List<RowSlots> slots = new ArrayList<>();
    private final int dim;
    private float[][] rowGradients;

    public SparseEmbeddings(ModelLayout layout, ModelConfig config, SplittableRandom random) {
        this.dim = config.embeddingDim();
        ModelConfig.Optimizer opt = config.optimizer();
        for (ModelLayout.SparseField field : layout.sparse()) {
            EmbeddingTable table =
                    new EmbeddingTable(field.name(), field.rows(), dim).initialize(random.split());
            tables.add(table);
            optimizers.add(
                    switch (opt.embedding()) {
                        case ADAM ->
                                new RowSparseAdam(
                                        field.rows(),
                                        dim,
                                        opt.embeddingLr(),
                                        opt.beta1(),
                                        opt.beta2(),
                                        opt.epsilon());
                        case ADAGRAD ->
                                new RowSparseAdagrad(
                                        field.rows(), dim, opt.embeddingLr(), opt.epsilon());
                    });
            slots.add(new RowSlots(field.rows()));
        }
        this.rowGradients = new float[tables.size()][256 * dim];
    }

    public int fields() {
        return tables.size();
    }

    public int dim() {
        return dim;
    }

    public List<EmbeddingTable> tables() {
        return tables;
    }

    public List<RowSparseOptimizer> optimizers() {
        return optimizers;
    }

    /** B x F x dim: each sample's mean of the rows in its bag, per field. */
    public float[] pool(Batch batch) {
        int b = batch.size();
        int f = tables.size();
        float[] pooled = new float[b * f * dim];
        for (int field = 0; field < f; field++) {
            float[] w = tables.get(field).weights();
            int[] offsets = batch.bagOffsets()[field];
            int[] ids = batch.bagIds()[field];
            for (int i = 0; i < b; i++) {
                int out = (i * f + field) * dim;
                int from = offsets[i];
                int to = offsets[i + 1];
                for (int at = from; at < to; at++) {
                    int base = ids[at] * dim;
                    for (int j = 0; j < dim; j++) {
                        pooled[out + j] += w[base + j];
                    }
                }
                float inv = 1f / (to - from);
                for (int j = 0; j < dim; j++) {
                    pooled[out + j] *= inv;
                }
            }
        }
        return pooled;
    }

    /**
     * Routes {@code pooledGradient} (B x F x dim) to the rows that produced it: each row of a bag
     * of n receives 1/n of its sample's gradient, summed over the batch. Returns the squared norm
     * of the row gradients; {@link #step()} then applies them.
     */
    public double backward(Batch batch, float[] pooledGradient) {
        int b = batch.size();
        int f = tables.size();
        double sumSquares = 0;
        for (int field = 0; field < f; field++) {
            RowSlots s = slots.get(field);
            s.reset();
            int[] offsets = batch.bagOffsets()[field];
            int[] ids = batch.bagIds()[field];
            float[] grads = rowGradients[field];
            for (int i = 0; i < b; i++) {
                int from = offsets[i];
                int to = offsets[i + 1];
                float inv = 1f / (to - from);
                int in = (i * f + field) * dim;
                for (int at = from; at < to; at++) {
                    int before = s.count();
                    int slot = s.slot(ids[at]);
                    if (slot == before) {
                        if ((slot + 1) * dim > grads.length) {
                            grads = Arrays.copyOf(grads, grads.length * 2);
                            rowGradients[field] = grads;
                        }
                        Arrays.fill(grads, slot * dim, (slot + 1) * dim, 0f);
                    }
                    int out = slot * dim;
                    for (int j = 0; j < dim; j++) {
                        grads[out + j] += pooledGradient[in + j] * inv;
                    }
                }
            }
            for (int i = 0, n = s.count() * dim; i < n; i++) {
                sumSquares += (double) grads[i] * grads[i];
            }
        }
        return sumSquares;
    }

    /** Applies the row gradients of the last {@link #backward} to the touched rows only. */
    public void step() {
        for (int field = 0; field < tables.size(); field++) {
            RowSlots s = slots.get(field);
            optimizers
                    .get(field)
                    .update(tables.get(field), s.rows(), s.count(), rowGradients[field]);
        }
    }

    /**
     * The gradient the last {@link #backward} routed to {@code row} of {@code field} (a copy), or
     * null when that pass did not touch the row. For tests.
     */
    float[] rowGradient(int field, int row) {
        RowSlots s = slots.get(field);
        int[] rows = s.rows();
        for (int slot = 0; slot < s.count(); slot++) {
            if (rows[slot] == row) {
                return Arrays.copyOfRange(rowGradients[field], slot * dim, (slot + 1) * dim);
            }
        }
        return null;
    }

    /** Rows touched by the last backward pass, per field (for tests and metrics). */
    public int touchedRows(int field) {
        return slots.get(field).count();
    }
}
