package dev.freshet.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HitAtKTest {

    /**
     * Three requests, interleaved in the arrays.
     *
     * <pre>
     * a: a0 0.9 y1 | a1 0.5 y1 | a2 0.7 y0 | a3 0.5 y0 | a4 0.1 y1
     *    ranked: a0 (0.9, y1), a2 (0.7, y0), a1 (0.5, y1, earlier of the tie), | a3, a4
     *    top 3 holds 2 positives -> 2 hits. (Breaking the tie the other way would give 1.)
     * b: b0 0.3 y1 | b1 0.8 y0 | b2 0.6 y0 | b3 0.2 y1
     *    ranked: b1 (y0), b2 (y0), b0 (y1), | b3 (y1) -> 1 hit
     * c: c0..c3 all y0 -> no positive, not in the average
     * </pre>
     *
     * requests 3, with a positive 2, hits 2 + 1 = 3, hits per request 3 / 2 = 1.5.
     */
    @Test
    void threeRequestsByHand() {
        String[] ids = {"a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "b", "c", "a"};
        float[] scores = {
            0.9f, 0.3f, 0.4f, //
            0.5f, 0.8f, 0.9f, //
            0.7f, 0.6f, 0.1f, //
            0.5f, 0.2f, 0.5f, //
            0.1f
        };
        float[] labels = {
            1, 1, 0, //
            1, 0, 0, //
            0, 0, 0, //
            0, 1, 0, //
            1
        };
        HitAtK.Result result = HitAtK.compute(ids, scores, labels, ids.length, 3);
        assertThat(result).isEqualTo(new HitAtK.Result(1.5, 3, 2, 3));
    }

    @Test
    void tiesGoToTheEarlierItem() {
        String[] ids = {"r", "r"};
        float[] scores = {0.5f, 0.5f};
        assertThat(HitAtK.compute(ids, scores, new float[] {0, 1}, 2, 1).hits()).isEqualTo(0);
        assertThat(HitAtK.compute(ids, scores, new float[] {1, 0}, 2, 1).hits()).isEqualTo(1);
    }

    @Test
    void requestSmallerThanKCountsAllItsPositives() {
        // One request of 2 items, both positive: both are in the "top 3".
        HitAtK.Result result =
                HitAtK.compute(
                        new String[] {"r", "r"},
                        new float[] {0.1f, 0.2f},
                        new float[] {1, 1},
                        2,
                        3);
        assertThat(result).isEqualTo(new HitAtK.Result(2.0, 1, 1, 2));
    }

    @Test
    void nanScoreRanksLast() {
        // With k = 1, the positive at 0.2 beats the NaN-scored negative.
        HitAtK.Result result =
                HitAtK.compute(
                        new String[] {"r", "r"},
                        new float[] {Float.NaN, 0.2f},
                        new float[] {0, 1},
                        2,
                        1);
        assertThat(result.hits()).isEqualTo(1);
    }

    @Test
    void noPositiveAnywhereIsNaN() {
        HitAtK.Result result =
                HitAtK.compute(
                        new String[] {"a", "b", "a"},
                        new float[] {0.1f, 0.2f, 0.3f},
                        new float[] {0, 0, 0},
                        3,
                        3);
        assertThat(result.hitsPerRequest()).isNaN();
        assertThat(result.requests()).isEqualTo(2);
        assertThat(result.requestsWithPositive()).isZero();
        assertThat(result.hits()).isZero();
    }

    @Test
    void rejectsBadInput() {
        String[] ids = {"a"};
        float[] scores = {0.5f};
        assertThatThrownBy(() -> HitAtK.compute(ids, scores, new float[] {1}, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HitAtK.compute(ids, scores, new float[] {0.5f}, 1, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HitAtK.compute(new String[] {null}, scores, new float[] {1}, 1, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
