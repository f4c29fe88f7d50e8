package dev.freshet.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AucTest {

    @Test
    void perfectRankingIsOne() {
        float[] scores = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] labels = {0, 0, 1, 1};
        assertThat(Auc.auc(scores, labels, null, 4)).isEqualTo(1.0);
    }

    @Test
    void reversedRankingIsZero() {
        float[] scores = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] labels = {1, 1, 0, 0};
        assertThat(Auc.auc(scores, labels, null, 4)).isEqualTo(0.0);
    }

    @Test
    void allTiedIsOneHalf() {
        float[] scores = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
        float[] labels = {1, 0, 0, 1, 0};
        assertThat(Auc.auc(scores, labels, null, 5)).isEqualTo(0.5);
    }

    /**
     * Positives score 0.9, 0.6, 0.4; negatives 0.8, 0.6, 0.2; the 0.6 pair is tied. Pairs (positive
     * vs each negative 0.8, 0.6, 0.2):
     *
     * <pre>
     *   0.9: 1 + 1   + 1 = 3
     *   0.6: 0 + 0.5 + 1 = 1.5
     *   0.4: 0 + 0   + 1 = 1
     * </pre>
     *
     * 5.5 of 9 pairs: AUC = 5.5 / 9 = 0.6111...
     */
    @Test
    void mixedExampleWithOneTiedPair() {
        float[] scores = {0.9f, 0.8f, 0.6f, 0.6f, 0.4f, 0.2f};
        float[] labels = {1, 0, 1, 0, 1, 0};
        assertThat(Auc.auc(scores, labels, null, 6)).isCloseTo(5.5 / 9, within(1e-12));
    }

    /**
     * The same data with weight 2 on the tied negative (0.6). Positive weight 3, negative weight 1
     * + 2 + 1 = 4, so 12 weighted pairs:
     *
     * <pre>
     *   0.9: 1 + 2*1   + 1 = 4
     *   0.6: 0 + 2*0.5 + 1 = 2
     *   0.4: 0 + 0     + 1 = 1
     * </pre>
     *
     * AUC = 7 / 12, and it must equal the unweighted AUC with that row duplicated.
     */
    @Test
    void weightTwoEqualsDuplicatingTheRow() {
        float[] scores = {0.9f, 0.8f, 0.6f, 0.6f, 0.4f, 0.2f};
        float[] labels = {1, 0, 1, 0, 1, 0};
        float[] weights = {1, 1, 1, 2, 1, 1};
        double weighted = Auc.auc(scores, labels, weights, 6);

        float[] dupScores = {0.9f, 0.8f, 0.6f, 0.6f, 0.6f, 0.4f, 0.2f};
        float[] dupLabels = {1, 0, 1, 0, 0, 1, 0};
        double duplicated = Auc.auc(dupScores, dupLabels, null, 7);

        assertThat(weighted).isCloseTo(7.0 / 12, within(1e-12));
        assertThat(duplicated).isCloseTo(7.0 / 12, within(1e-12));
    }

    @Test
    void singleClassIsNaN() {
        float[] scores = {0.1f, 0.7f, 0.3f};
        assertThat(Auc.auc(scores, new float[] {1, 1, 1}, null, 3)).isNaN();
        assertThat(Auc.auc(scores, new float[] {0, 0, 0}, null, 3)).isNaN();
        // Both classes present, but every negative has weight 0.
        assertThat(Auc.auc(scores, new float[] {1, 0, 0}, new float[] {1, 0, 0}, 3)).isNaN();
        assertThat(Auc.auc(scores, new float[] {1, 0, 0}, null, 0)).isNaN();
    }

    @Test
    void nanScoreGivesNaN() {
        float[] scores = {0.1f, Float.NaN, 0.3f};
        assertThat(Auc.auc(scores, new float[] {0, 1, 1}, null, 3)).isNaN();
    }

    @Test
    void onlyTheFirstNEntriesCount() {
        // Entries 0..3 rank perfectly; entry 4 would break that if it were read.
        float[] scores = {0.1f, 0.2f, 0.3f, 0.4f, 0.0f};
        float[] labels = {0, 0, 1, 1, 1};
        assertThat(Auc.auc(scores, labels, null, 4)).isEqualTo(1.0);
        assertThat(Auc.auc(scores, labels, null, 5)).isLessThan(1.0);
    }

    @Test
    void negativeScoresAndSignedZerosAreOrderedNumerically() {
        // -3 < -1 < -0.0 == 0.0 < 2: positives at -1 and 0.0, negatives at -3, -0.0 and 2.
        // Positive -1: beats -3 (1), loses to -0.0 and 2 -> 1
        // Positive 0.0: beats -3 (1), ties -0.0 (0.5), loses to 2 -> 1.5
        // AUC = 2.5 / 6
        float[] scores = {-3f, -1f, -0.0f, 0.0f, 2f};
        float[] labels = {0, 1, 0, 1, 0};
        assertThat(Auc.auc(scores, labels, null, 5)).isCloseTo(2.5 / 6, within(1e-12));
    }

    @Test
    void rejectsBadInput() {
        float[] scores = {0.1f, 0.2f};
        assertThatThrownBy(() -> Auc.auc(scores, new float[] {0, 2}, null, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Auc.auc(scores, new float[] {0, 1}, new float[] {1, -1}, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Auc.auc(scores, new float[] {0, 1}, null, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Cross-check against the O(n^2) definition on 200 samples with many ties (scores rounded to
     * one decimal in [-1, 1], so 21 distinct values), with and without integer weights.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void matchesBruteForcePairCount(long seed) {
        Random random = new Random(seed);
        int n = 200;
        float[] scores = new float[n];
        float[] labels = new float[n];
        float[] weights = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = Math.round((random.nextFloat() * 2 - 1) * 10) / 10f;
            labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
            weights[i] = random.nextInt(4); // 0..3, zero weights included
        }
        boolean weighted = seed % 2 == 0;
        float[] w = weighted ? weights : null;

        double pairs = 0;
        double positive = 0;
        double negative = 0;
        for (int i = 0; i < n; i++) {
            double wi = weighted ? weights[i] : 1;
            if (labels[i] == 1) {
                positive += wi;
            } else {
                negative += wi;
            }
            for (int j = 0; j < n; j++) {
                double wj = weighted ? weights[j] : 1;
                if (labels[i] == 1 && labels[j] == 0) {
                    if (scores[i] > scores[j]) {
                        pairs += wi * wj;
                    } else if (scores[i] == scores[j]) {
                        pairs += 0.5 * wi * wj;
                    }
                }
            }
        }
        double expected = pairs / (positive * negative);

        assertThat(Auc.auc(scores, labels, w, n)).isCloseTo(expected, within(1e-12));
    }
}
