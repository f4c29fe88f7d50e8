package dev.freshet.bench.local;

import dev.freshet.manifest.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Freshness from the versions alone. A version's own lag is its creation time minus the newest
 * event it learned from. Event → published: an event whose time lies between the newest event of
 * version v-1 and that of version v was first published in version v, so its freshness is v's
 * creation time minus its own time. The simulator sends at a constant rate, so events are spread
 * evenly over event time; this samples every 100 ms of it. (A version's own lag is the best case of
 * that range; the worst is created minus the previous version's newest event.)
 */
final class EventFreshness {

    static final long STEP_MILLIS = 100;

    /** When a version was created and the time of the newest event it learned from. */
    record Published(long createdMillis, long newestEventMillis) {

        double lagSeconds() {
            return (createdMillis - newestEventMillis) / 1000.0;
        }
    }

    private EventFreshness() {}

    /** The versions that record their newest event, in order. */
    static List<Published> published(List<Manifest> versions) {
        List<Published> out = new ArrayList<>();
        for (Manifest m : versions) {
            Long newest = m.lineage().maxEventTime();
            if (newest != null) {
                out.add(new Published(Instant.parse(m.createdAt()).toEpochMilli(), newest));
            }
        }
        return out;
    }

    /** Seconds from event to first publication, one value per 100 ms of event time. */
    static double[] seconds(List<Manifest> versions) {
        List<Double> out = new ArrayList<>();
        Long previous = null;
        for (Published v : published(versions)) {
            if (previous != null) {
                for (long t = v.newestEventMillis(); t > previous; t -= STEP_MILLIS) {
                    out.add((v.createdMillis() - t) / 1000.0);
                }
            }
            previous =
                    previous == null
                            ? v.newestEventMillis()
                            : Math.max(previous, v.newestEventMillis());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
