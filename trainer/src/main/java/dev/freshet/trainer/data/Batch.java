package dev.freshet.trainer.data;

/**
 * A mini-batch in the flat, primitive form the trainer feeds to PyTorch and to the embedding store.
 * Row-major: sample i's dense values are {@code dense[i * D .. i * D + D)}. Sparse bags are CSR per
 * field: the rows of sample i in field f are {@code bagIds[f][bagOffsets[f][i] .. bagOffsets[f][i +
 * 1])}, never empty (an absent field carries its absent row).
 *
 * @param size number of samples B
 * @param requestIds per sample, for grouping by request (HIT@k)
 * @param eventTimes per sample, epoch milliseconds
 * @param dense B x D normalized values, 0 where missing
 * @param missing B x D, 1 where the value is missing
 * @param bagOffsets per field, B + 1 offsets into {@code bagIds}
 * @param bagIds per field, table rows
 * @param embeddings B x (sum of embedding widths), zeros where absent
 * @param labels B x K, 0 or 1
 * @param labelMask B x K, 1 where the sample has a label for the task
 * @param weights B sample weights (negative down-sampling correction)
 */
public record Batch(
        int size,
        String[] requestIds,
        long[] eventTimes,
        float[] dense,
        float[] missing,
        int[][] bagOffsets,
        int[][] bagIds,
        float[] embeddings,
        float[] labels,
        float[] labelMask,
        float[] weights) {

    public long minEventTime() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            min = Math.min(min, eventTimes[i]);
        }
        return min;
    }

    public long maxEventTime() {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, eventTimes[i]);
        }
        return max;
    }
}
