package dev.freshet.trainer.embedding;

import java.util.Map;

/**
 * Updates only the rows of a table that a batch used. Each implementation keeps its state per row,
 * so rows a batch did not touch are neither read nor written: a step costs O(rows used x dim)
 * whatever the table size.
 */
public interface RowSparseOptimizer {

    /**
     * Applies one step to {@code count} distinct rows.
     *
     * @param rows the touched rows, distinct
     * @param gradients count x dim, the gradient of each touched row in the order of {@code rows}
     */
    void update(EmbeddingTable table, int[] rows, int count, float[] gradients);

    /** The optimizer's state arrays by name, live (for checkpoints). */
    Map<String, Object> state();

    /** Replaces the state with arrays read from a checkpoint, checking their sizes. */
    void restore(Map<String, Object> state);
}
