package dev.freshet.flink.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class QuietAwareWatermarksTest {

    /**
     * Wall clock at the start, in ms; event times in the tests are near it, as in a live stream.
     */
    private static final long NOW = 1_700_000_000_000L;

    private static final TopicPartition P0 = new TopicPartition("impressions", 0);
    private static final TopicPartition P1 = new TopicPartition("impressions", 1);

    private final ManualClock clock = new ManualClock(NOW * 1_000_000L);
    private final RecordingOutput out = new RecordingOutput();
    private final TestingDrainProbe probe = new TestingDrainProbe();
    private final SourceActivity source = new SourceActivity(NOW, probe);
    private final QuietAwareWatermarks<Rec> gen = generator();

    @Test
    void trailsTheLargestTimestampByTheOutOfOrdernessBound() {
        event(gen, P0, 0, NOW - 3_000);
        event(gen, P0, 1, NOW - 1_000);
        event(gen, P0, 2, NOW - 2_000); // out of order: no step back
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOW - 1_000 - 1_000 - 1);
    }

    @Test
    void aQuietSourceThatHasReadEverythingCatchesUpWithTheWallClock() {
        event(gen, P0, 41, NOW - 60_000); // the last event is a minute old
        advance(Duration.ofSeconds(4));
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOW - 61_001); // not quiet long enough
        assertThat(probe.asked).isEmpty();

        advance(Duration.ofSeconds(3)); // quiet 7 s: ask for end offsets
        probe.answers.add(Boolean.TRUE);
        gen.onPeriodicEmit(out);
        assertThat(probe.asked).containsExactly(Map.of(P0, 41L));
        assertThat(out.last()).isEqualTo(NOW + 7_000 - 1_000 - 5_000);

        advance(Duration.ofSeconds(10));
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOW + 17_000 - 1_000 - 5_000);
    }

    @Test
    void aQuietSourceWithABacklogIsBlockedNotDrainedAndHoldsItsWatermark() {
        event(gen, P0, 41, NOW - 60_000);
        advance(Duration.ofSeconds(10));
        probe.answers.add(null); // lookup in flight
        gen.onPeriodicEmit(out);
        probe.answers.add(Boolean.FALSE); // end offsets beyond what was read: backpressure
        gen.onPeriodicEmit(out);
        advance(Duration.ofSeconds(30));
        probe.answers.add(Boolean.FALSE);
        gen.onPeriodicEmit(out);

        assertThat(out.watermarks).containsOnly(NOW - 61_001);
    }

    @Test
    void aQuietPartitionWaitsWhileItsSiblingsAreStillBeingRead() {
        QuietAwareWatermarks<Rec> sibling = generator();
        event(gen, P0, 0, NOW - 60_000);
        for (int i = 1; i <= 20; i++) {
            advance(Duration.ofSeconds(1));
            event(sibling, P1, i, NOW - 3_600_000 + i);
            gen.onPeriodicEmit(out);
        }
        // The consumer is busy with the sibling's backlog: no verdict about this partition.
        assertThat(out.last()).isEqualTo(NOW - 61_001);
        assertThat(probe.asked).isEmpty();
    }

    @Test
    void neverStepsBackWhenEventsResumeAfterADrainedSpell() {
        event(gen, P0, 0, NOW);
        advance(Duration.ofSeconds(15));
        probe.answers.add(Boolean.TRUE);
        gen.onPeriodicEmit(out);
        long advanced = out.last();
        event(gen, P0, 1, NOW + 500);
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
    void deadLettersCountAsReadButCarryNoTimeAndDoNotMoveTheWatermark() {
        event(gen, P0, 7, Long.MIN_VALUE);
        advance(Duration.ofSeconds(61));
        gen.onPeriodicEmit(out);
        assertThat(out.watermarks).isEmpty();
        assertThat(out.idle).isTrue();
    }

    private QuietAwareWatermarks<Rec> generator() {
        return new QuietAwareWatermarks<>(
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                clock,
                source,
                new RecPosition());
    }

    private void event(QuietAwareWatermarks<Rec> g, TopicPartition tp, long offset, long time) {
        g.onEvent(new Rec(tp, offset), time, new RecordingOutput());
    }

    private void advance(Duration d) {
        clock.advanceTime(d);
    }

    private record Rec(TopicPartition partition, long offset) {}

    private static final class RecPosition implements RecordPosition<Rec> {
        @Override
        public TopicPartition partition(Rec record) {
            return record.partition();
        }

        @Override
        public long offset(Rec record) {
            return record.offset();
        }
    }

    /** Answers end-offset lookups from a script and records what was asked. */
    private static final class TestingDrainProbe implements DrainProbe {
        final LinkedList<Boolean> answers = new LinkedList<>(); // null = lookup in flight
        final List<Map<TopicPartition, Long>> asked = new ArrayList<>();

        @Override
        public Boolean drained(Map<TopicPartition, Long> lastRead) {
            asked.add(lastRead);
            return answers.isEmpty() ? null : answers.poll();
        }
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
