package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.data.Batch;

/**
 * One batch as NDArrays in the step's manager. Every op of the forward pass takes one of these as
 * its first operand, so every intermediate lands in the step's manager and is freed with it.
 *
 * @param dense [B, D]
 * @param missing [B, D]
 * @param pooled [B, F, dim], the mean-pooled sparse rows (zeros in the user_interest sequence
 *     field's slot); a leaf whose gradient is routed back to the rows by the embedding store; null
 *     when the layout has no sparse fields
 * @param embeddings [B, E], or null when the layout has no embedding features
 * @param sequence [B, L, dim], the behaviour sequence's rows for user_interest (a leaf whose
 *     gradient is routed back to the rows), or null
 * @param sequenceMask [B, L], 1 where {@code sequence} has an element, or null
 */
public record ModelInputs(
        NDArray dense,
        NDArray missing,
        NDArray pooled,
        NDArray embeddings,
        NDArray sequence,
        NDArray sequenceMask) {

    /** Inputs without a behaviour sequence. */
    public ModelInputs(NDArray dense, NDArray missing, NDArray pooled, NDArray embeddings) {
        this(dense, missing, pooled, embeddings, null, null);
    }

    /** These inputs with the behaviour sequence's [B, length, dim] rows and [B, length] mask. */
    public ModelInputs withSequence(
            float[] rows, float[] mask, int length, int dim, boolean trainable) {
        NDManager manager = dense.getManager();
        long b = dense.getShape().get(0);
        NDArray rowArray = manager.create(rows, new Shape(b, length, dim));
        if (trainable) {
            rowArray.setRequiresGradient(true);
        }
        NDArray maskArray = manager.create(mask, new Shape(b, length));
        return new ModelInputs(dense, missing, pooled, embeddings, rowArray, maskArray);
    }

    public static ModelInputs of(
            NDManager manager,
            Batch batch,
            int denseCount,
            float[] pooled,
            int fields,
            int dim,
            int embeddingWidth,
            boolean trainable) {
        int b = batch.size();
        NDArray dense = manager.create(batch.dense(), new Shape(b, denseCount));
        NDArray missing = manager.create(batch.missing(), new Shape(b, denseCount));
        NDArray pooledArray = null;
        if (fields > 0) {
            pooledArray = manager.create(pooled, new Shape(b, fields, dim));
            if (trainable) {
                pooledArray.setRequiresGradient(true);
            }
        }
        NDArray embeddings =
                embeddingWidth == 0
                        ? null
                        : manager.create(batch.embeddings(), new Shape(b, embeddingWidth));
        return new ModelInputs(dense, missing, pooledArray, embeddings);
    }
}
