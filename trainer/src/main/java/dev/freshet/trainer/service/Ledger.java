package dev.freshet.trainer.service;

import dev.freshet.manifest.Manifest;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the state being trained stands in the stream: the next offset per partition, the samples
 * consumed up to there by fate, and the event-time range learned from. Saved with every checkpoint
 * and copied into every manifest's lineage; consumed = trained + quarantined + rejected +
 * discarded, always.
 */
final class Ledger {

    private final Map<Integer, Long> offsets = new TreeMap<>();
    private long consumed;
    private long trained;
    private long quarantined;
    private long rejected;
    private long discarded;
    private Long minEventTime;
    private Long maxEventTime;

    void restore(Position p) {
        offsets.clear();
        offsets.putAll(p.offsets());
        Manifest.Counts c = p.counts();
        consumed = c.consumed();
        trained = c.trained();
        quarantined = c.quarantined();
        rejected = c.rejected();
        discarded = c.discarded();
        minEventTime = p.minEventTime();
        maxEventTime = p.maxEventTime();
    }

    /** The record at {@code offset} of {@code partition} has been dealt with, whatever its fate. */
    void consumed(int partition, long offset) {
        offsets.put(partition, offset + 1);
        consumed++;
    }

    void trained(int samples, long minEvent, long maxEvent) {
        trained += samples;
        minEventTime = minEventTime == null ? minEvent : Math.min(minEventTime, minEvent);
        maxEventTime = maxEventTime == null ? maxEvent : Math.max(maxEventTime, maxEvent);
    }

    void quarantined(int samples) {
        quarantined += samples;
    }

    void rejected(int samples) {
        rejected += samples;
    }

    /** A rollback threw away what the state learned from {@code samples} samples. */
    void discarded(long samples) {
        trained -= samples;
        discarded += samples;
    }

    Manifest.Counts counts() {
        return new Manifest.Counts(consumed, trained, quarantined, rejected, discarded);
    }

    Map<Integer, Long> offsets() {
        return new TreeMap<>(offsets);
    }

    Long minEventTime() {
        return minEventTime;
    }

    Long maxEventTime() {
        return maxEventTime;
    }
}
