package dev.freshet.trainer.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mean pooling of each sample's bag and the backward pass that routes the pooled gradient to the
 * rows, on tiny hand-filled tables (dim 2).
 *
 * <pre>
 * field a (4 buckets, absent row 4): row0 [1, 2]  row1 [3, -4]  row2 [5, 6]  row3 [100, 100]  row4 [0.5, -0.5]
 * field b (2 buckets, absent row 2): row0 [-1, 1] row1 [2, 2]   row2 [7, 8]
 *
 * sample 0: a {0, 1}     → [2, -1]         b {1}         → [2, 2]
 * sample 1: a absent {4} → [0.5, -0.5]     b {0, 1}      → [0.5, 1.5]
 * sample 2: a {1, 2, 2}  → [13/3, 8/3]     b absent {2}  → [7, 8]
 * </pre>
 */
class SparseEmbeddingsTest {

    private static final ModelConfig CONFIG = ModelConfigFile.parse("embedding_dim: 2");

    private static final ModelLayout LAYOUT =
            new ModelLayout(
                    "test",
                    List.of(),
                    List.of(
                            new ModelLayout.SparseField("a", 4),
                            new ModelLayout.SparseField("b", 2)),
                    List.of());

    private static final float[] TABLE_A = {1, 2, 3, -4, 5, 6, 100, 100, 0.5f, -0.5f};
    private static final float[] TABLE_B = {-1, 1, 2, 2, 7, 8};

    private static SparseEmbeddings embeddings() {
        SparseEmbeddings e = new SparseEmbeddings(LAYOUT, CONFIG, new SplittableRandom(5));
        System.arraycopy(TABLE_A, 0, e.tables().get(0).weights(), 0, TABLE_A.length);
        System.arraycopy(TABLE_B, 0, e.tables().get(1).weights(), 0, TABLE_B.length);
        return e;
    }

    private static Batch batch() {
        int absentA = LAYOUT.sparse().get(0).absentRow();
        int absentB = LAYOUT.sparse().get(1).absentRow();
        assertThat(absentA).isEqualTo(4);
        assertThat(absentB).isEqualTo(2);
        int[][] offsets = {{0, 2, 3, 6}, {0, 1, 3, 4}};
        int[][] ids = {{0, 1, absentA, 1, 2, 2}, {1, 0, 1, absentB}};
        return batch(3, offsets, ids);
    }

    private static Batch batch(int size, int[][] offsets, int[][] ids) {
        return new Batch(
                size,
                new String[size],
                new long[size],
                new float[0],
                new float[0],
                offsets,
                ids,
                new float[0],
                new float[0],
                new float[0],
                new float[size]);
    }

    @Test
    void poolsTheMeanOfEachBagAndTheAbsentRowForAnAbsentField() {
        float[] pooled = embeddings().pool(batch());
        // B x F x dim: sample i, field f at (i * 2 + f) * 2.
        assertThat(pooled)
                .containsExactly(
                        new float[] {
                            2, -1, 2, 2, //
                            0.5f, -0.5f, 0.5f, 1.5f, //
                            13f / 3, 8f / 3, 7, 8
                        },
                        within(1e-6f));
    }

    /**
     * Pooled gradient G (sample, field): s0 a [6, -12] b [1, 2]; s1 a [3, 9] b [4, -8]; s2 a [-3,
     * 6] b [5, 10]. Each row of a bag of n gets G / n, summed over the batch (row 2 twice from
     * sample 2's bag {1, 2, 2}):
     *
     * <pre>
     * a: row0 = G0/2 = [3, -6]      row1 = G0/2 + G2/3 = [2, -4]   row2 = 2 G2/3 = [-2, 4]
     *    row4 = G1 = [3, 9]         row3 untouched
     * b: row0 = G1/2 = [2, -4]      row1 = G0 + G1/2 = [3, -2]     row2 = G2 = [5, 10]
     * sum of squares = (45 + 20 + 20 + 90) + (20 + 13 + 125) = 333
     * </pre>
     */
    @Test
    void backwardRoutesThePooledGradientToTheRowsDividedByTheBagLength() {
        SparseEmbeddings e = embeddings();
        float[] g = {6, -12, 1, 2, 3, 9, 4, -8, -3, 6, 5, 10};
        double sumSquares = e.backward(batch(), g);

        assertThat(sumSquares).isCloseTo(333, within(1e-4));
        assertThat(e.touchedRows(0)).isEqualTo(4);
        assertThat(e.touchedRows(1)).isEqualTo(3);
        assertRow(e, 0, 0, 3, -6);
        assertRow(e, 0, 1, 2, -4);
        assertRow(e, 0, 2, -2, 4);
        assertRow(e, 0, 4, 3, 9);
        assertThat(e.rowGradient(0, 3)).as("field a, row 3 is in no bag").isNull();
        assertRow(e, 1, 0, 2, -4);
        assertRow(e, 1, 1, 3, -2);
        assertRow(e, 1, 2, 5, 10);
    }

    @Test
    void eachBackwardStartsFromZeroRowGradients() {
        SparseEmbeddings e = embeddings();
        float[] g = {6, -12, 1, 2, 3, 9, 4, -8, -3, 6, 5, 10};
        e.backward(batch(), g);
        double again = e.backward(batch(), g);
        assertThat(again).isCloseTo(333, within(1e-4));
        assertRow(e, 0, 1, 2, -4);

        // A batch of one sample using a row 3 and b row 0 only: the earlier rows are gone.
        double third =
                e.backward(
                        batch(1, new int[][] {{0, 1}, {0, 1}}, new int[][] {{3}, {0}}),
                        new float[] {1, 2, 3, 4});
        assertThat(third).isCloseTo(30, within(1e-6));
        assertThat(e.touchedRows(0)).isEqualTo(1);
        assertRow(e, 0, 3, 1, 2);
        assertThat(e.rowGradient(0, 1)).isNull();
        assertRow(e, 1, 0, 3, 4);
    }

    /**
     * Pooling is linear in the table, so its gradient is exact: for S(W) = sum G ⊙ pool(W), dS/dW
     * at each row must be what backward routes there. Random bags over a 1000-row table touch more
     * than the 256 rows the gradient buffer starts with.
     */
    @Test
    void backwardIsTheGradientOfPoolingOnRandomBags() {
        ModelLayout layout =
                new ModelLayout(
                        "test",
                        List.of(),
                        List.of(new ModelLayout.SparseField("big", 999)),
                        List.of());
        SparseEmbeddings e = new SparseEmbeddings(layout, CONFIG, new SplittableRandom(7));
        SplittableRandom random = new SplittableRandom(8);
        int b = 100;
        int[] offsets = new int[b + 1];
        int[] ids = new int[b * 8];
        for (int i = 0; i < b; i++) {
            int n = 1 + random.nextInt(8);
            for (int j = 0; j < n; j++) {
                ids[offsets[i] + j] = random.nextInt(1000);
            }
            offsets[i + 1] = offsets[i] + n;
        }
        Batch batch = batch(b, new int[][] {offsets}, new int[][] {Arrays.copyOf(ids, offsets[b])});
        float[] g = new float[b * 2];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (random.nextDouble() * 2 - 1);
        }
        e.backward(batch, g);
        assertThat(e.touchedRows(0)).isGreaterThan(256);

        float[] w = e.tables().get(0).weights();
        double base = dot(g, e.pool(batch));
        int touched = 0;
        for (int row = 0; row < 1000; row++) {
            float[] routed = e.rowGradient(0, row);
            double[] expected = new double[2];
            for (int j = 0; j < 2; j++) {
                float saved = w[row * 2 + j];
                w[row * 2 + j] = saved + 1; // exact: S is linear in W
                expected[j] = dot(g, e.pool(batch)) - base;
                w[row * 2 + j] = saved;
            }
            if (routed == null) {
                assertThat(expected)
                        .as("row %d is in no bag", row)
                        .containsExactly(new double[] {0, 0}, within(1e-4));
            } else {
                touched++;
                assertThat(routed[0])
                        .as("row %d, coordinate 0", row)
                        .isCloseTo((float) expected[0], within(1e-4f));
                assertThat(routed[1])
                        .as("row %d, coordinate 1", row)
                        .isCloseTo((float) expected[1], within(1e-4f));
            }
        }
        assertThat(touched).isEqualTo(e.touchedRows(0));
    }

    /**
     * With user_interest over field a (max_length 2), a is handed over as rows, not pooled: L = 2
     * (sample 2's bag {1, 2, 2} keeps its first two ids), sample 1's absent a is its absent row
     * alone, and a's pooled slot stays 0.
     *
     * <pre>
     * rows  s0 [row0, row1]   s1 [row4, pad]   s2 [row1, row2]      mask 1 1 | 1 0 | 1 1
     * sequence gradient S: s0 [1, 2] [3, 4]   s1 [5, 6] [7, 8]   s2 [9, 10] [11, 12]
     * a: row0 = [1, 2]   row1 = [3, 4] + [9, 10] = [12, 14]   row4 = [5, 6]   row2 = [11, 12]
     *    (the padding's [7, 8] and the pooled gradient's a slots go nowhere)
     * b: as without user_interest
     * sum of squares = (5 + 340 + 61 + 265) + (20 + 13 + 125) = 829
     * </pre>
     */
    @Test
    void theSequenceFieldIsHandedOverAsRowsAndTakesItsGradientPerElement() {
        ModelConfig config =
                ModelConfigFile.parse(
                        "embedding_dim: 2\n"
                                + "user_interest: {sequence: a, target: b, max_length: 2}");
        SparseEmbeddings e = new SparseEmbeddings(LAYOUT, config, new SplittableRandom(5));
        System.arraycopy(TABLE_A, 0, e.tables().get(0).weights(), 0, TABLE_A.length);
        System.arraycopy(TABLE_B, 0, e.tables().get(1).weights(), 0, TABLE_B.length);
        assertThat(e.sequenceField()).isZero();

        SparseEmbeddings.Sequence sequence = e.sequence(batch());
        assertThat(sequence.length()).isEqualTo(2);
        assertThat(sequence.rows()).containsExactly(1, 2, 3, -4, 0.5f, -0.5f, 0, 0, 3, -4, 5, 6);
        assertThat(sequence.mask()).containsExactly(1, 1, 1, 0, 1, 1);
        assertThat(e.pool(batch()))
                .containsExactly(
                        new float[] {0, 0, 2, 2, 0, 0, 0.5f, 1.5f, 0, 0, 7, 8}, within(1e-6f));

        float[] g = {6, -12, 1, 2, 3, 9, 4, -8, -3, 6, 5, 10};
        float[] s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        double sumSquares = e.backward(batch(), g, s);

        assertThat(sumSquares).isCloseTo(829, within(1e-4));
        assertThat(e.touchedRows(0)).isEqualTo(4);
        assertRow(e, 0, 0, 1, 2);
        assertRow(e, 0, 1, 12, 14);
        assertRow(e, 0, 2, 11, 12);
        assertRow(e, 0, 4, 5, 6);
        assertThat(e.rowGradient(0, 3)).isNull();
        assertRow(e, 1, 0, 2, -4);
        assertRow(e, 1, 1, 3, -2);
        assertRow(e, 1, 2, 5, 10);
    }

    @Test
    void aSequenceFieldTheSpecLacksIsRefusedNamingTheKey() {
        ModelConfig config =
                ModelConfigFile.parse("user_interest: {sequence: recent_items, target: b}");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new SparseEmbeddings(LAYOUT, config, new SplittableRandom(5)))
                .hasMessageContaining(
                        "user_interest.sequence: 'recent_items' is not a sparse field of feature"
                                + " spec test [a, b]");
    }

    private static void assertRow(SparseEmbeddings e, int field, int row, float g0, float g1) {
        assertThat(e.rowGradient(field, row))
                .as("field %d, row %d", field, row)
                .containsExactly(new float[] {g0, g1}, within(1e-5f));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
