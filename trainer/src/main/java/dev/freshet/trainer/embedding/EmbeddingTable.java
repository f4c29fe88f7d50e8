package dev.freshet.trainer.embedding;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One sparse field's embedding table, kept in host memory as a flat row-major {@code float[]}. The
 * table never enters PyTorch whole: each step gathers (and mean-pools) only the rows the batch
 * uses, and the optimizer writes back only those rows, so a step costs O(rows used), not O(table).
 * This is the parameter-server layout industrial recommenders use for tables far larger than the
 * dense network; on a GPU it means one small host-to-device copy of pooled rows per step.
 */
public final class EmbeddingTable {

    private final String name;
    private final int rows;
    private final int dim;
    private final float[] weights;

    public EmbeddingTable(String name, int rows, int dim) {
        this.name = Objects.requireNonNull(name, "name");
        if (rows < 1 || dim < 1) {
            throw new IllegalArgumentException(name + ": rows and dim must be positive");
        }
        if ((long) rows * dim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    name + ": " + rows + " x " + dim + " exceeds one array; use fewer buckets");
        }
        this.rows = rows;
        this.dim = dim;
        this.weights = new float[rows * dim];
    }

    /**
     * Fills the table from {@code random}: uniform in [-sqrt(3/dim), sqrt(3/dim)), i.e. variance
     * 1/dim per coordinate and rows of norm about 1, the scale L2 normalization expects.
     */
    public EmbeddingTable initialize(SplittableRandom random) {
        double bound = Math.sqrt(3.0 / dim);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return this;
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    /** The live weights, row-major; row r is {@code [r * dim, (r + 1) * dim)}. */
    public float[] weights() {
        return weights;
    }
}
