package dev.freshet.bench.local;

import dev.freshet.manifest.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Event → published freshness from the versions alone: an event whose time lies between the newest
 * event of version v-1 and that of version v was first published in version v, so its freshness is
 * v's creation time minus its own time. The simulator sends at a constant rate, so events are
 * spread evenly over event time; this samples every 100 ms of it. (A version's own lag, created
 * minus its newest event, is the best case of that range; the worst is created minus the previous
 * version's newest event.)
 */
final class EventFreshness {

    static final long STEP_MILLIS = 100;

    private EventFreshness() {}

    /** Seconds from event to first publication, one value per 100 ms of event time. */
    static double[] seconds(List<Manifest> versions) {
        List<Double> out = new ArrayList<>();
        Long previous = null;
        for (Manifest m : versions) {
            Long newest = m.lineage().maxEventTime();
            if (newest == null) {
                continue;
            }
            long created = Instant.parse(m.createdAt()).toEpochMilli();
            if (previous != null) {
                for (long t = newest; t > previous; t -= STEP_MILLIS) {
                    out.add((created - t) / 1000.0);
                }
            }
            previous = previous == null ? newest : Math.max(previous, newest);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
