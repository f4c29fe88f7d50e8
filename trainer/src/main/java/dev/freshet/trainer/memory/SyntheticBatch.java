package dev.freshet.trainer.memory;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import java.util.Arrays;

/**
 * A batch built from the layout alone, for measuring memory before any sample has been read: never
 * lighter than a real batch of its size. Every dense value and embedding is present, every sparse
 * field holds one id (different rows across samples), except the user-interest sequence, which
 * holds {@code max_length} ids; every task has a label.
 */
public final class SyntheticBatch {

    private SyntheticBatch() {}

    public static Batch of(ModelLayout layout, ModelConfig config, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + size);
        }
        int d = layout.dense().size();
        int f = layout.sparse().size();
        int e = layout.embeddingWidth();
        int k = config.taskNames().size();
        int sequence =
                config.userInterest() == null
                        ? -1
                        : layout.sparseIndex(
                                "user_interest.sequence", config.userInterest().sequence());
        String[] requestIds = new String[size];
        float[] labels = new float[size * k];
        for (int i = 0; i < size; i++) {
            requestIds[i] = "memory-probe-" + i;
            for (int t = 0; t < k; t++) {
                labels[i * k + t] = (i + t) % 2;
            }
        }
        int[][] offsets = new int[f][];
        int[][] ids = new int[f][];
        for (int field = 0; field < f; field++) {
            int length = field == sequence ? config.userInterest().maxLength() : 1;
            int buckets = layout.sparse().get(field).buckets();
            offsets[field] = new int[size + 1];
            ids[field] = new int[size * length];
            for (int i = 0; i < size; i++) {
                offsets[field][i + 1] = (i + 1) * length;
                for (int j = 0; j < length; j++) {
                    ids[field][i * length + j] = (i * length + j) % buckets;
                }
            }
        }
        float[] dense = new float[size * d];
        Arrays.fill(dense, 0.5f);
        float[] embeddings = new float[size * e];
        Arrays.fill(embeddings, 0.1f);
        float[] labelMask = new float[size * k];
        Arrays.fill(labelMask, 1f);
        float[] weights = new float[size];
        Arrays.fill(weights, 1f);
        return new Batch(
                size,
                requestIds,
                new long[size],
                dense,
                new float[size * d],
                offsets,
                ids,
                embeddings,
                labels,
                labelMask,
                weights);
    }
}
