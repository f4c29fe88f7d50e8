package dev.freshet.flink.time;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.Clock;
import org.apache.flink.util.clock.SystemClock;

/**
 * Bounded-out-of-orderness watermarks, per Kafka partition, that keep moving when input goes quiet.
 *
 * <p>Plain bounded-out-of-orderness watermarks stop when a partition stops: the last impressions'
 * windows then never close and their samples are never emitted. Flink's idleness only excludes a
 * quiet partition; if every partition is quiet, event time still stands still. So:
 *
 * <ul>
 *   <li>a partition that has not produced an event since the job started is marked idle after
 *       {@code emptyAfter}, so an empty partition does not hold the others back. This is longer
 *       than {@code quietAfter} on purpose: at start-up one source's first fetch can lag the
 *       other's by seconds, and marking it idle then would let the other stream's watermark close
 *       windows before their engagements are read;
 *   <li>a partition that has produced events and then been quiet for {@code quietAfter} advances
 *       its watermark with the wall clock from where it stood. Live streams have event time close
 *       to the wall clock, so this is what would have happened had events kept coming; for a
 *       drained replay it closes the remaining windows in wall-clock time.
 * </ul>
 *
 * The price: a record that arrives after a quiet spell with an event time older than the advanced
 * watermark is late, which is the right verdict for a stream that was truly idle.
 */
public final class QuietAwareWatermarks<T> implements WatermarkGenerator<T> {

    private final long outOfOrdernessMillis;
    private final long quietAfterMillis;
    private final long emptyAfterMillis;
    private final Clock clock;

    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt;
    private long lastEmitted = Long.MIN_VALUE;

    public QuietAwareWatermarks(
            Duration outOfOrderness, Duration quietAfter, Duration emptyAfter, Clock clock) {
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.quietAfterMillis = quietAfter.toMillis();
        this.emptyAfterMillis = emptyAfter.toMillis();
        this.clock = clock;
        this.lastEventAt = clock.absoluteTimeMillis();
    }

    /** The strategy for a source whose records carry their event time via {@code timestamps}. */
    public static <T> WatermarkStrategy<T> strategy(
            Duration outOfOrderness,
            Duration quietAfter,
            Duration emptyAfter,
            SerializableTimestampAssigner<T> timestamps) {
        return WatermarkStrategy.<T>forGenerator(
                        ctx ->
                                new QuietAwareWatermarks<>(
                                        outOfOrderness,
                                        quietAfter,
                                        emptyAfter,
                                        SystemClock.getInstance()))
                .withTimestampAssigner(timestamps);
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            return; // a dead letter: no event time, no progress
        }
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastEventAt = clock.absoluteTimeMillis();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long quietFor = clock.absoluteTimeMillis() - lastEventAt;
        if (maxTimestamp == Long.MIN_VALUE) {
            if (quietFor >= emptyAfterMillis) {
                output.markIdle();
            }
            return;
        }
        long watermark = maxTimestamp - outOfOrdernessMillis - 1;
        if (quietFor >= quietAfterMillis) {
            watermark += quietFor - quietAfterMillis;
        }
        if (watermark > lastEmitted) {
            lastEmitted = watermark;
        }
        output.emitWatermark(new Watermark(lastEmitted));
    }
}
