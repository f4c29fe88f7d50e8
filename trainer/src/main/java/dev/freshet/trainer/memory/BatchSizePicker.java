package dev.freshet.trainer.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory budget of the paper's learning experiments: the largest batch size whose measured peak
 * training memory stays under a fraction of the device's memory. Candidates are powers of two from
 * {@code min} up to {@code max}, tried in ascending order, so a reading is never inflated by a
 * larger trial before it; the first candidate over budget ends the search (peak memory grows with
 * the batch).
 */
public final class BatchSizePicker {

    /** Measures the peak memory, in bytes, of a few training steps at one batch size. */
    @FunctionalInterface
    public interface Trial {
        long peakBytes(int batchSize);
    }

    /** One measured candidate. */
    public record Probe(int batchSize, long peakBytes, boolean fits) {}

    /**
     * The outcome: the batch size picked, its measured peak, the budget and every probe.
     *
     * @param budgetBytes {@code fraction x} the device's memory
     */
    public record Picked(
            int batchSize,
            long peakBytes,
            long budgetBytes,
            double fraction,
            long deviceBytes,
            List<Probe> probes) {

        public Picked {
            probes = List.copyOf(probes);
        }
    }

    private BatchSizePicker() {}

    /**
     * @param min the smallest batch size to try, at least 1
     * @param max the largest, at least {@code min}
     * @param fraction the share of {@code deviceBytes} a batch's peak must stay under, in (0, 1]
     * @throws IllegalStateException if even {@code min} is over budget
     */
    public static Picked pick(int min, int max, double fraction, long deviceBytes, Trial trial) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException(
                    "batch size range must satisfy 1 <= min <= max, got " + min + ".." + max);
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException(
                    "memory budget must be a fraction in (0, 1], got " + fraction);
        }
        long budget = (long) (fraction * deviceBytes);
        List<Probe> probes = new ArrayList<>();
        Probe best = null;
        for (int size : candidates(min, max)) {
            long peak = trial.peakBytes(size);
            Probe probe = new Probe(size, peak, peak <= budget);
            probes.add(probe);
            if (!probe.fits()) {
                break;
            }
            best = probe;
        }
        if (best == null) {
            throw new IllegalStateException(
                    "even a batch of "
                            + min
                            + " needs "
                            + mib(probes.get(0).peakBytes())
                            + " MiB, over the budget of "
                            + mib(budget)
                            + " MiB ("
                            + fraction
                            + " of "
                            + mib(deviceBytes)
                            + " MiB)");
        }
        return new Picked(
                best.batchSize(), best.peakBytes(), budget, fraction, deviceBytes, probes);
    }

    /** min, the powers of two above it, and max. */
    static List<Integer> candidates(int min, int max) {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(min);
        long next = Integer.highestOneBit(min) * 2L;
        while (next < max) {
            sizes.add((int) next);
            next *= 2;
        }
        if (max > min) {
            sizes.add(max);
        }
        return sizes;
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
