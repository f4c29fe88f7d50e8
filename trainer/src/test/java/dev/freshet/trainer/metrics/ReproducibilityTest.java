package dev.freshet.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReproducibilityTest {

    /**
     * 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32,
     * sample variance 32 / 7 = 4.5714286, std 2.1380899 (the population std would be 2).
     */
    @Test
    void sampleStdByHand() {
        double[] values = {2, 4, 4, 4, 5, 5, 7, 9};
        assertThat(Reproducibility.std(values)).isCloseTo(2.1380899, within(1e-6));
    }

    /** 1 and 3: mean 2, squared deviations 1 + 1 = 2, variance 2 / 1, std sqrt 2. */
    @Test
    void twoValues() {
        assertThat(Reproducibility.std(new double[] {1, 3})).isCloseTo(Math.sqrt(2), within(1e-12));
    }

    @Test
    void singleValueIsZeroAndNoneIsNaN() {
        assertThat(Reproducibility.std(new double[] {0.73})).isEqualTo(0.0);
        assertThat(Reproducibility.std(new double[0])).isNaN();
    }

    @Test
    void nanPropagates() {
        assertThat(Reproducibility.std(new double[] {1, Double.NaN, 3})).isNaN();
        assertThat(Reproducibility.std(new double[] {Double.NaN})).isNaN();
    }
}
