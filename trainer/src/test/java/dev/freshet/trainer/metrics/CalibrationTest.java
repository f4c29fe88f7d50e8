package dev.freshet.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    /** Mean prediction (0.2 + 0.4 + 0.6) / 3 = 0.4, mean label 1/3, calibration 1.2. */
    @Test
    void unweightedByHand() {
        float[] p = {0.2f, 0.4f, 0.6f};
        float[] y = {0, 1, 0};
        assertThat(Calibration.calibration(p, y, null, 3)).isCloseTo(1.2, within(1e-6));
        assertThat(Calibration.weightedMean(p, null, 3)).isCloseTo(0.4, within(1e-7));
        assertThat(Calibration.weightedMean(y, null, 3)).isCloseTo(1.0 / 3, within(1e-7));
    }

    /**
     * Weights 2, 1, 1: mean prediction (0.4 + 0.4 + 0.6) / 4 = 0.35, mean label 1 / 4 = 0.25,
     * calibration 1.4.
     */
    @Test
    void weightedByHand() {
        float[] p = {0.2f, 0.4f, 0.6f};
        float[] y = {0, 1, 0};
        float[] w = {2, 1, 1};
        assertThat(Calibration.calibration(p, y, w, 3)).isCloseTo(1.4, within(1e-6));
        assertThat(Calibration.weightedMean(p, w, 3)).isCloseTo(0.35, within(1e-7));
        assertThat(Calibration.weightedMean(y, w, 3)).isCloseTo(0.25, within(1e-7));
    }

    @Test
    void noPositivesIsNaN() {
        float[] p = {0.2f, 0.4f};
        assertThat(Calibration.calibration(p, new float[] {0, 0}, null, 2)).isNaN();
        // The only positive has weight 0.
        assertThat(Calibration.calibration(p, new float[] {1, 0}, new float[] {0, 1}, 2)).isNaN();
        assertThat(Calibration.weightedMean(p, null, 0)).isNaN();
    }
}
