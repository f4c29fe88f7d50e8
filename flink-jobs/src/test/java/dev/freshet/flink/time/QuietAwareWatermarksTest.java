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

    private final ManualClock clock = new ManualClock(1_000_000L * 1_000_000L);
    private final RecordingOutput out = new RecordingOutput();
    private final QuietAwareWatermarks<String> gen =
            new QuietAwareWatermarks<>(
                    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(60), clock);

    @Test
    void trailsTheLargestTimestampByTheOutOfOrdernessBound() {
        gen.onEvent("a", 10_000, out);
        gen.onEvent("b", 12_000, out);
        gen.onEvent("c", 11_000, out); // out of order: no step back
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(12_000 - 1_000 - 1);
    }

    @Test
    void advancesWithTheWallClockOnceTheStreamHasBeenQuiet() {
        gen.onEvent("a", 10_000, out);
        advance(Duration.ofSeconds(4));
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(8_999); // not yet quiet long enough

        advance(Duration.ofSeconds(3)); // quiet 7 s, 2 s past the threshold
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(8_999 + 2_000);
        assertThat(out.idle).isFalse();
    }

    @Test
    void neverStepsBackWhenEventsResumeAfterAQuietSpell() {
        gen.onEvent("a", 10_000, out);
        advance(Duration.ofSeconds(15));
        gen.onPeriodicEmit(out);
        long advanced = out.last();
        gen.onEvent("b", 10_500, out);
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
