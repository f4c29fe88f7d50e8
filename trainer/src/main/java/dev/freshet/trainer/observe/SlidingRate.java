package dev.freshet.trainer.observe;

import java.time.InstantSource;
import java.util.Arrays;

/**
 * Events per second over a sliding window of whole seconds, for a gauge read at scrape time.
 *
 * <p>Counts go into one bucket per clock second, in a ring of {@code windowSeconds + 1} buckets
 * allocated once, so {@link #add} allocates nothing. {@link #perSecond} sums the buckets from
 * {@code windowSeconds} whole seconds ago up to the current (partial) second and divides by the
 * time those buckets span up to now: between {@code windowSeconds} and {@code windowSeconds + 1}
 * seconds, or less while the rate itself is younger than that, so a trainer that has run for 10
 * seconds reports its rate over those 10 seconds rather than diluted over the full window.
 *
 * <p>Thread-safe: the trainer adds while the metrics server reads.
 */
final class SlidingRate {

    private final InstantSource clock;
    private final int windowSeconds;
    private final long startMillis;
    private final long[] bucketSecond;
    private final long[] bucketCount;

    /**
     * @param clock the time source; its {@link InstantSource#millis()} is read on every call
     * @param windowSeconds how many whole seconds before the current one to count, at least 1
     */
    SlidingRate(InstantSource clock, int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds must be >= 1: " + windowSeconds);
        }
        this.clock = clock;
        this.windowSeconds = windowSeconds;
        this.startMillis = clock.millis();
        this.bucketSecond = new long[windowSeconds + 1];
        this.bucketCount = new long[windowSeconds + 1];
        Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    /** Counts {@code n} events now. */
    synchronized void add(long n) {
        long second = Math.floorDiv(clock.millis(), 1000L);
        int slot = (int) Math.floorMod(second, (long) bucketSecond.length);
        if (bucketSecond[slot] != second) {
            bucketSecond[slot] = second;
            bucketCount[slot] = 0;
        }
        bucketCount[slot] += n;
    }

    /** Events per second over the window ending now; 0 when no time has passed yet. */
    synchronized double perSecond() {
        long now = clock.millis();
        long second = Math.floorDiv(now, 1000L);
        long oldest = second - windowSeconds;
        long sum = 0;
        for (int i = 0; i < bucketSecond.length; i++) {
            if (bucketSecond[i] >= oldest && bucketSecond[i] <= second) {
                sum += bucketCount[i];
            }
        }
        long spanMillis = now - Math.max(oldest * 1000L, startMillis);
        return spanMillis <= 0 ? 0.0 : sum * 1000.0 / spanMillis;
    }
}
