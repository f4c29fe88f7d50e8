package dev.freshet.reliability.soak;

import java.util.Arrays;

/**
 * One measured quantity over time (seconds since the start, value), and the few statistics the soak
 * judges it by: the least-squares slope, the maximum, and the growth between the floors of its
 * first and last windows.
 */
final class Series {

    private final double[] seconds;
    private final double[] values;

    Series(double[] seconds, double[] values) {
        if (seconds.length != values.length) {
            throw new IllegalArgumentException(
                    "times and values differ in length: "
                            + seconds.length
                            + " vs "
                            + values.length);
        }
        for (int i = 1; i < seconds.length; i++) {
            if (seconds[i] < seconds[i - 1]) {
                throw new IllegalArgumentException("times go backwards at index " + i);
            }
        }
        this.seconds = seconds.clone();
        this.values = values.clone();
    }

    int size() {
        return values.length;
    }

    double first() {
        return values[0];
    }

    double last() {
        return values[values.length - 1];
    }

    double max() {
        return Arrays.stream(values).max().orElseThrow();
    }

    /** Seconds from the first point to the last. */
    double span() {
        return seconds[seconds.length - 1] - seconds[0];
    }

    /** The points at or after {@code from} seconds. */
    Series from(double from) {
        int i = 0;
        while (i < seconds.length && seconds[i] < from) {
            i++;
        }
        return new Series(
                Arrays.copyOfRange(seconds, i, seconds.length),
                Arrays.copyOfRange(values, i, values.length));
    }

    /**
     * Least-squares slope in value units per second: the trend, which a single spike (a GC, a
     * checkpoint, a burst of commits) moves far less than it moves the last point. NaN with fewer
     * than two distinct times.
     */
    double slopePerSecond() {
        int n = values.length;
        double meanT = Arrays.stream(seconds).average().orElse(Double.NaN);
        double meanV = Arrays.stream(values).average().orElse(Double.NaN);
        double cov = 0;
        double var = 0;
        for (int i = 0; i < n; i++) {
            cov += (seconds[i] - meanT) * (values[i] - meanV);
            var += (seconds[i] - meanT) * (seconds[i] - meanT);
        }
        return var == 0 ? Double.NaN : cov / var;
    }

    /**
     * The floor (minimum) of the last {@code window} points minus the floor of the first {@code
     * window}. Threads and open files jump up for a moment (a checkpoint writing, a version being
     * downloaded, a pool thread) and come back; a leak raises the floor, and the floor is what
     * transient work does not move.
     */
    double floorGrowth(int window) {
        if (window < 1 || 2 * window > values.length) {
            throw new IllegalArgumentException(
                    "window "
                            + window
                            + " needs at least "
                            + 2 * window
                            + " points, have "
                            + size());
        }
        double head = Arrays.stream(values, 0, window).min().orElseThrow();
        double tail =
                Arrays.stream(values, values.length - window, values.length).min().orElseThrow();
        return tail - head;
    }
}
