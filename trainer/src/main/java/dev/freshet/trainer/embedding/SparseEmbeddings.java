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
 *
 * <p>With {@code user_interest}, the behaviour-sequence field is the exception: it is not pooled
 * here (its slot of the pooled block stays 0) but handed over element by element as a {@link
 * Sequence}, pooled on the device, and its gradient comes back per element.
 */
public final class SparseEmbeddings {

    private final List<EmbeddingTable> tables = new ArrayList<>();
    private final List<RowSparseOptimizer> optimizers = new ArrayList<>();
    private final List<RowSlots> slots = new ArrayList<>();
    private final int dim;
    private final int sequenceField;
    private final int maxLength;
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
        ModelConfig.UserInterest interest = config.userInterest();
        this.sequenceField =
                interest == null
                        ? -1
                        : layout.sparseIndex("user_interest.sequence", interest.sequence());
        this.maxLength = interest == null ? 0 : interest.maxLength();
    }

    /** The behaviour-sequence field's position, or -1 without {@code user_interest}. */
    public int sequenceField() {
        return sequenceField;
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

    /**
     * B x F x dim: each sample's mean of the rows in its bag, per field; zeros in the sequence
     * field's slot, which the network fills from {@link #sequence}.
     */
    public float[] pool(Batch batch) {
        int b = batch.size();
        int f = tables.size();
        float[] pooled = new float[b * f * dim];
        for (int field = 0; field < f; field++) {
            if (field == sequenceField) {
                continue;
            }
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
     * The behaviour sequence as B x L x dim rows and a B x L mask (1 for an element, 0 for
     * padding), L the longest sequence of the batch capped at {@code max_length}. A sequence keeps
     * its first {@code max_length} ids as the sample gives them (producers list the newest first);
     * an empty one is its field's absent row, one element long, as for any absent field.
     */
    public Sequence sequence(Batch batch) {
        int b = batch.size();
        int[] offsets = batch.bagOffsets()[sequenceField];
        int[] ids = batch.bagIds()[sequenceField];
        int length = 1;
        for (int i = 0; i < b; i++) {
            length = Math.max(length, Math.min(maxLength, offsets[i + 1] - offsets[i]));
        }
        float[] w = tables.get(sequenceField).weights();
        float[] rows = new float[b * length * dim];
        float[] mask = new float[b * length];
        for (int i = 0; i < b; i++) {
            int n = Math.min(length, offsets[i + 1] - offsets[i]);
            for (int l = 0; l < n; l++) {
                System.arraycopy(w, ids[offsets[i] + l] * dim, rows, (i * length + l) * dim, dim);
                mask[i * length + l] = 1f;
            }
        }
        return new Sequence(length, rows, mask);
    }

    /**
     * A batch's behaviour sequences, padded to one length.
     *
     * @param length L
     * @param rows B x L x dim table rows, zeros where padded
     * @param mask B x L, 1 where an element is, 0 where padded
     */
    public record Sequence(int length, float[] rows, float[] mask) {}

    /**
     * Routes {@code pooledGradient} (B x F x dim) to the rows that produced it: each row of a bag
     * of n receives 1/n of its sample's gradient, summed over the batch. Returns the squared norm
     * of the row gradients; {@link #step()} then applies them.
     */
    public double backward(Batch batch, float[] pooledGradient) {
        return backward(batch, pooledGradient, null);
    }

    /**
     * As {@link #backward(Batch, float[])}, with the sequence field's rows receiving {@code
     * sequenceGradient} (B x L x dim, the gradient of {@link #sequence}'s rows) element by element
     * instead, summed over the batch in sample then position order.
     */
    public double backward(Batch batch, float[] pooledGradient, float[] sequenceGradient) {
        if (sequenceField >= 0 && sequenceGradient == null) {
            throw new IllegalArgumentException("user_interest: the sequence gradient is missing");
        }
        int b = batch.size();
        int f = tables.size();
        double sumSquares = 0;
        for (int field = 0; field < f; field++) {
            slots.get(field).reset();
            int[] offsets = batch.bagOffsets()[field];
            int[] ids = batch.bagIds()[field];
            if (field == sequenceField) {
                int length = sequenceGradient.length / (b * dim);
                for (int i = 0; i < b; i++) {
                    int n = Math.min(length, offsets[i + 1] - offsets[i]);
                    for (int l = 0; l < n; l++) {
                        accumulate(
                                field,
                                ids[offsets[i] + l],
                                sequenceGradient,
                                (i * length + l) * dim,
                                1f);
                    }
                }
            } else {
                for (int i = 0; i < b; i++) {
                    int from = offsets[i];
                    int to = offsets[i + 1];
                    float inv = 1f / (to - from);
                    for (int at = from; at < to; at++) {
                        accumulate(field, ids[at], pooledGradient, (i * f + field) * dim, inv);
                    }
                }
            }
            float[] grads = rowGradients[field];
            for (int i = 0, n = slots.get(field).count() * dim; i < n; i++) {
                sumSquares += (double) grads[i] * grads[i];
            }
        }
        return sumSquares;
    }

    /** Adds {@code scale} times gradient[from .. from + dim) to {@code row}'s gradient. */
    private void accumulate(int field, int row, float[] gradient, int from, float scale) {
        RowSlots s = slots.get(field);
        int before = s.count();
        int slot = s.slot(row);
        float[] grads = rowGradients[field];
        if (slot == before) {
            if ((slot + 1) * dim > grads.length) {
                grads = Arrays.copyOf(grads, grads.length * 2);
                rowGradients[field] = grads;
            }
            Arrays.fill(grads, slot * dim, (slot + 1) * dim, 0f);
        }
        int out = slot * dim;
        for (int j = 0; j < dim; j++) {
            grads[out + j] += gradient[from + j] * scale;
        }
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
