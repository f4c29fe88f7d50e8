package dev.freshet.flink.time;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.Clock;
import org.apache.flink.util.clock.SystemClock;

/**
 * Bounded-out-of-orderness watermarks, per Kafka partition, that keep moving when the input has
 * been drained.
 *
 * <p>Plain bounded-out-of-orderness watermarks stop when a partition stops: the last impressions'
 * windows then never close and their samples are never emitted. Flink's idleness only excludes a
 * quiet partition; if every partition is quiet, event time still stands still. And a per-partition
 * "quiet" verdict is unsafe while a backlog is being read: the consumer may leave one partition
 * alone for seconds while it reads another, and any verdict that moves that partition's watermark
 * ahead makes the rest of its backlog late. So:
 *
 * <ul>
 *   <li>when the whole source subtask (every partition it reads) has produced nothing for {@code
 *       quietAfter} and the partitions' end offsets confirm it has read everything ({@link
 *       DrainProbe}; silence alone could be backpressure over a backlog), it has caught up with a
 *       live stream, so its next event will be about as recent as the wall clock: every partition's
 *       watermark moves to {@code now - outOfOrderness - quietAfter} (never backwards). This closes
 *       the last windows of a drained stream;
 *   <li>a partition that has not produced an event since the job started is marked idle after
 *       {@code emptyAfter}, so an empty partition does not hold the others back. This is longer
 *       than {@code quietAfter} on purpose: at start-up one source's first fetch can lag the
 *       other's by seconds, and marking it idle then would let the other stream's watermark close
 *       windows before their engagements are read.
 * </ul>
 *
 * The assumption is a live stream, whose event times track the wall clock (replays rebase their
 * times to now). The price: a record arriving after a quiet spell with an event time older than
 * {@code now - outOfOrderness - quietAfter - allowed lateness} is late; and a partition that has
 * seen events but then none for a long time, while its siblings stay busy, holds the watermark at
 * its last event.
 */
public final class QuietAwareWatermarks<T> implements WatermarkGenerator<T> {

    private final long outOfOrdernessMillis;
    private final long quietAfterMillis;
    private final long emptyAfterMillis;
    private final Clock clock;
    private final SourceActivity source;
    private final RecordPosition<T> position;
    private final long createdAt;

    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;

    QuietAwareWatermarks(
            Duration outOfOrderness,
            Duration quietAfter,
            Duration emptyAfter,
            Clock clock,
            SourceActivity source,
            RecordPosition<T> position) {
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.quietAfterMillis = quietAfter.toMillis();
        this.emptyAfterMillis = emptyAfter.toMillis();
        this.clock = clock;
        this.source = source;
        this.position = position;
        this.createdAt = clock.absoluteTimeMillis();
    }

    /**
     * The strategy for a source whose records carry their event time via {@code timestamps} and
     * their Kafka position via {@code position}; {@code probe} looks up end offsets.
     */
    public static <T> WatermarkStrategy<T> strategy(
            Duration outOfOrderness,
            Duration quietAfter,
            Duration emptyAfter,
            SerializableTimestampAssigner<T> timestamps,
            RecordPosition<T> position,
            DrainProbe probe) {
        return new Strategy<>(outOfOrderness, quietAfter, emptyAfter, timestamps, position, probe);
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        source.read(position.partition(event), position.offset(event), clock.absoluteTimeMillis());
        if (eventTimestamp == Long.MIN_VALUE) {
            return; // a dead letter: read, but no event time and no progress
        }
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.absoluteTimeMillis();
        if (maxTimestamp == Long.MIN_VALUE) {
            if (now - createdAt >= emptyAfterMillis) {
                output.markIdle();
            }
            return;
        }
        long watermark = maxTimestamp - outOfOrdernessMillis - 1;
        if (source.drained(now, quietAfterMillis)) {
            watermark = Math.max(watermark, now - outOfOrdernessMillis - quietAfterMillis);
        }
        if (watermark > lastEmitted) {
            lastEmitted = watermark;
        }
        output.emitWatermark(new Watermark(lastEmitted));
    }

    /**
     * Creates one generator per partition; the generators of one subtask share its {@link
     * SourceActivity}. Flink creates them from the strategy instance that subtask deserialized, so
     * the shared object is per subtask.
     */
    private static final class Strategy<T> implements WatermarkStrategy<T> {
        private static final long serialVersionUID = 1L;

        private final Duration outOfOrderness;
        private final Duration quietAfter;
        private final Duration emptyAfter;
        private final SerializableTimestampAssigner<T> timestamps;
        private final RecordPosition<T> position;
        private final DrainProbe probe;
        private transient SourceActivity activity;

        Strategy(
                Duration outOfOrderness,
                Duration quietAfter,
                Duration emptyAfter,
                SerializableTimestampAssigner<T> timestamps,
                RecordPosition<T> position,
                DrainProbe probe) {
            this.outOfOrderness = outOfOrderness;
            this.quietAfter = quietAfter;
            this.emptyAfter = emptyAfter;
            this.timestamps = timestamps;
            this.position = position;
            this.probe = probe;
        }

        @Override
        public synchronized WatermarkGenerator<T> createWatermarkGenerator(
                WatermarkGeneratorSupplier.Context context) {
            Clock clock = SystemClock.getInstance();
            if (activity == null) {
                activity = new SourceActivity(clock.absoluteTimeMillis(), probe);
            }
            return new QuietAwareWatermarks<>(
                    outOfOrderness, quietAfter, emptyAfter, clock, activity, position);
        }

        @Override
        public TimestampAssigner<T> createTimestampAssigner(
                TimestampAssignerSupplier.Context context) {
            return timestamps;
        }
    }
}
