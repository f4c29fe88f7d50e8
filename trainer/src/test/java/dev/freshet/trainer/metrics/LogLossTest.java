package dev.freshet.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogLossTest {

    /** -(ln 0.9 + ln(1 - 0.2)) / 2 = (0.1053605 + 0.2231436) / 2 = 0.1642520. */
    @Test
    void unweightedByHand() {
        float[] p = {0.9f, 0.2f};
        float[] y = {1, 0};
        assertThat(LogLoss.logLoss(p, y, null, 2)).isCloseTo(0.1642520, within(1e-6));
    }

    /** -(1 * ln 0.9 + 3 * ln 0.2) / 4 = (0.1053605 + 3 * 1.6094379) / 4 = 1.2334186. */
    @Test
    void weightedByHand() {
        float[] p = {0.9f, 0.2f};
        float[] y = {1, 1};
        float[] w = {1, 3};
        assertThat(LogLoss.logLoss(p, y, w, 2)).isCloseTo(1.2334186, within(1e-6));
    }

    /** p = 0 with y = 1 and p = 1 with y = 0 both cost -ln(1e-7) = 16.1180957, not infinity. */
    @Test
    void saturatedPredictionsAreClamped() {
        assertThat(LogLoss.logLoss(new float[] {0f}, new float[] {1}, null, 1))
                .isCloseTo(16.1180957, within(1e-5));
        assertThat(LogLoss.logLoss(new float[] {1f}, new float[] {0}, null, 1))
                .isCloseTo(16.1180957, within(1e-5));
        // A perfect saturated prediction costs -ln(1 - 1e-7) ~ 1e-7, not exactly 0.
        assertThat(LogLoss.logLoss(new float[] {1f}, new float[] {1}, null, 1))
                .isCloseTo(1e-7, within(1e-9));
    }

    @Test
    void zeroWeightSumIsNaN() {
        float[] p = {0.3f, 0.6f};
        float[] y = {1, 0};
        assertThat(LogLoss.logLoss(p, y, new float[] {0, 0}, 2)).isNaN();
        assertThat(LogLoss.logLoss(p, y, null, 0)).isNaN();
    }

    @Test
    void nanPredictionGivesNaN() {
        assertThat(LogLoss.logLoss(new float[] {0.5f, Float.NaN}, new float[] {1, 0}, null, 2))
                .isNaN();
    }
}
