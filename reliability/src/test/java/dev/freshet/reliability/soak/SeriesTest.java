package dev.freshet.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeriesTest {

    private static final double[] T = {0, 10, 20, 30, 40, 50, 60, 70};

    @Test
    void slopeOfALineIsItsGradient() {
        Series s = new Series(T, new double[] {5, 7, 9, 11, 13, 15, 17, 19});
        assertThat(s.slopePerSecond()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void slopeOfAFlatSeriesWithOneSpikeIsSmallNextToTheSpike() {
        // A GC or a checkpoint: one sample 100 up. The last-minus-first difference would be 0 or
        // 100 depending on where it falls; least squares spreads it over the whole run.
        Series s = new Series(T, new double[] {50, 50, 50, 150, 50, 50, 50, 50});
        assertThat(Math.abs(s.slopePerSecond())).isLessThan(0.2);
    }

    @Test
    void slopeOfASawtoothWithoutTrendIsNearZeroAndWithATrendFindsIt() {
        double[] t = new double[60];
        double[] flat = new double[60];
        double[] rising = new double[60];
        for (int i = 0; i < 60; i++) {
            t[i] = 10 * i;
            flat[i] = 1000 * (i % 3); // commits arrive in bursts
            rising[i] = flat[i] + 5 * t[i];
        }
        assertThat(new Series(t, flat).slopePerSecond()).isCloseTo(0, within(1.0));
        assertThat(new Series(t, rising).slopePerSecond()).isCloseTo(5, within(1.0));
    }

    @Test
    void slopeIsNaNWithoutTwoDistinctTimes() {
        assertThat(new Series(new double[] {3}, new double[] {1}).slopePerSecond()).isNaN();
        assertThat(new Series(new double[] {3, 3}, new double[] {1, 2}).slopePerSecond()).isNaN();
    }

    @Test
    void floorGrowthIgnoresTransientPeaksButSeesARisingFloor() {
        // Threads: a pool briefly grows at each version, then shrinks again.
        Series transient_ = new Series(T, new double[] {200, 230, 201, 228, 200, 231, 200, 229});
        assertThat(transient_.floorGrowth(2)).isEqualTo(0);
        assertThat(transient_.max() - transient_.first()).isEqualTo(31);

        // One thread leaked per step.
        Series leak = new Series(T, new double[] {200, 201, 202, 203, 204, 205, 206, 207});
        assertThat(leak.floorGrowth(2)).isEqualTo(6);
        assertThat(leak.floorGrowth(3)).isEqualTo(5);
    }

    @Test
    void floorGrowthMayBeNegativeWhenSomethingIsReleased() {
        Series s = new Series(T, new double[] {300, 300, 290, 290, 280, 280, 280, 280});
        assertThat(s.floorGrowth(2)).isEqualTo(-20);
    }

    @Test
    void floorGrowthNeedsTwoWindowsOfPoints() {
        Series s = new Series(T, new double[8]);
        assertThatThrownBy(() -> s.floorGrowth(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.floorGrowth(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromKeepsThePointsAtOrAfterATime() {
        Series s = new Series(T, new double[] {0, 1, 2, 3, 4, 5, 6, 7}).from(30);
        assertThat(s.size()).isEqualTo(5);
        assertThat(s.first()).isEqualTo(3);
        assertThat(s.span()).isEqualTo(40);
        assertThat(s.max()).isEqualTo(7);
    }

    @Test
    void refusesTimesGoingBackwardsOrMismatchedLengths() {
        assertThatThrownBy(() -> new Series(new double[] {0, 2, 1}, new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Series(new double[] {0, 1}, new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
