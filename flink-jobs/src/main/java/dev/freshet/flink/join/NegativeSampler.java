package dev.freshet.flink.join;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Keeps an all-negative impression with probability r. The decision is a pure function of the
 * impression id and a seed, not a random draw, so a job restored from a checkpoint makes exactly
 * the decisions the failed attempt made and exactly-once output stays exactly the same.
 */
public final class NegativeSampler implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double rate;
    private final long seed;

    public NegativeSampler(double rate, long seed) {
        this.rate = rate;
        this.seed = seed;
    }

    public boolean keep(String impressionId) {
        return rate >= 1.0 || uniform(impressionId) < rate;
    }

    /** Weight of a kept negative: 1/r keeps the loss an unbiased estimate of the full-data loss. */
    public float weight() {
        return (float) (1.0 / rate);
    }

    /** A uniform draw in [0, 1) from the id: 64-bit FNV-1a, then the SplitMix64 finalizer. */
    double uniform(String impressionId) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : impressionId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }
}
