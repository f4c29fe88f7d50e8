package dev.freshet.flink.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class QuietAwareWatermarksTest {

    /**
     * Wall clock at the start, in ms; event times in the tests are near it, as in a live stream.
     */
    private static final long NOW = 1_700_000_000_000L;

    private final ManualClock clock = new ManualClock(NOW * 1_000_000L);
    private final RecordingOutput out = new RecordingOutput();
    private final SourceActivity source = new SourceActivity(NOW);
    private final QuietAwareWatermarks<String> gen = generator();

    @Test
    void trailsTheLargestTimestampByTheOutOfOrdernessBound() {
        gen.onEvent("a", NOW - 3_000, out);
        gen.onEvent("b", NOW - 1_000, out);
        gen.onEvent("c", NOW - 2_000, out); // out of order: no step back
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOW - 1_000 - 1_000 - 1);
    }

    @Test
    void aQuietPartitionWaitsWhileItsSiblingsAreStillBeingRead() {
        QuietAwareWatermarks<String> sibling = generator();
        gen.onEvent("a", NOW - 60_000, out);
        for (int i = 1; i <= 20; i++) {
            advance(Duration.ofSeconds(1));
            sibling.onEvent("backlog", NOW - 3_600_000 + i, new RecordingOutput());
            gen.onPeriodicEmit(out);
        }
        // The consumer is busy with the sibling's backlog: no verdict about this partition.
        assertThat(out.last()).isEqualTo(NOW - 61_001);
    }

    @Test
    void catchesUpWithTheWallClockOnceTheWholeSourceHasBeenQuiet() {
        gen.onEvent("a", NOW - 60_000, out); // a partition whose last event is a minute old
        advance(Duration.ofSeconds(4));
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOW - 61_001); // not yet quiet long enough

        advance(Duration.ofSeconds(3)); // quiet 7 s
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOW + 7_000 - 1_000 - 5_000);
        assertThat(out.idle).isFalse();

        advance(Duration.ofSeconds(10));
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOW + 17_000 - 1_000 - 5_000);
    }

    @Test
    void neverStepsBackWhenEventsResumeAfterAQuietSpell() {
        gen.onEvent("a", NOW, out);
        advance(Duration.ofSeconds(15));
        gen.onPeriodicEmit(out);
        long advanced = out.last();
        gen.onEvent("b", NOW + 500, out);
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(advanced);
    }

    @Test
    void aPartitionThatNeverHadDataIsIdleOnlyAfterTheLongerEmptyTimeout() {
        advance(Duration.ofSeconds(30));
        gen.onPeriodicEmit(out);
        assertThat(out.idle).isFalse();
        assertThat(out.watermarks).isEmpty();

        advance(Duration.ofSeconds(31));
        gen.onPeriodicEmit(out);
        assertThat(out.idle).isTrue();
    }

    @Test
    void deadLettersCarryNoTimeAndDoNotMoveTheWatermark() {
        gen.onEvent("bad", Long.MIN_VALUE, out);
        advance(Duration.ofSeconds(61));
        gen.onPeriodicEmit(out);
        assertThat(out.watermarks).isEmpty();
        assertThat(out.idle).isTrue();
    }

    private QuietAwareWatermarks<String> generator() {
        return new QuietAwareWatermarks<>(
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                clock,
                source);
    }

    private void advance(Duration d) {
        clock.advanceTime(d);
    }

    private static final class RecordingOutput implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }
}
