package dev.freshet.flink.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.RejectReason;
import dev.freshet.flink.kafka.Parsed;
import dev.freshet.flink.types.CodecSerializer;
import dev.freshet.flink.types.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ValidateOperatorTest {

    private static final long LATENESS = 5_000;

    @Test
    void passesValidEventsAndDeadLettersRejectedOnesWithTheirOriginalBytes() throws Exception {
        try (var h = harness()) {
            h.open();
            DeadLetter bad =
                    DeadLetter.of(
                            RejectReason.UNPARSEABLE,
                            "not JSON",
                            "impressions",
                            1,
                            42,
                            null,
                            "{oops".getBytes(StandardCharsets.UTF_8),
                            1024);
            h.processElement(new StreamRecord<>(Parsed.rejected(bad)));
            h.processElement(record("a", 1_000));

            assertThat(h.extractOutputValues())
                    .extracting(Impression::impressionId)
                    .containsExactly("a");
            assertThat(deadLetters(h)).containsExactly(bad);
        }
    }

    @Test
    void impressionsLaterThanTheAllowedLatenessBecomeLateDeadLetters() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processWatermark(new Watermark(100_000));
            h.processElement(record("on-time", 100_000 - LATENESS));
            h.processElement(record("late", 100_000 - LATENESS - 1));

            assertThat(h.extractOutputValues())
                    .extracting(Impression::impressionId)
                    .containsExactly("on-time");
            DeadLetter late = deadLetters(h).get(0);
            assertThat(late.reason()).isEqualTo(RejectReason.LATE);
            assertThat(late.sourceTopic()).isEqualTo("impressions");
            assertThat(late.sourceOffset()).isEqualTo(7);
            assertThat(new String(late.value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":\"late\"}");
            assertThat(late.detail()).contains("behind the watermark");
        }
    }

    @Test
    void aRestoredOperatorJudgesLatenessAgainstTheCheckpointedWatermark() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processWatermark(new Watermark(100_000));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            // No watermark has arrived since the restore: the checkpointed one still applies.
            h.processElement(record("replayed-old", 10_000));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(deadLetters(h))
                    .extracting(DeadLetter::reason)
                    .containsExactly(RejectReason.LATE);
        }
    }

    private static OneInputStreamOperatorTestHarness<Parsed<Impression>, Impression> harness()
            throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        new ValidateOperator<Impression>("impressions", LATENESS, 1024),
                        new CodecSerializer<>(new Codecs.ParsedImpressionCodec()));
        h.setup(new CodecSerializer<>(new Codecs.ImpressionCodec()));
        return h;
    }

    private static StreamRecord<Parsed<Impression>> record(String id, long time) {
        Impression imp = Impression.of(id, "r", time);
        byte[] raw = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        return new StreamRecord<>(Parsed.valid(imp, "impressions", 0, 7, null, raw), time);
    }

    private static List<DeadLetter> deadLetters(
            OneInputStreamOperatorTestHarness<Parsed<Impression>, Impression> h) {
        var side = h.getSideOutput(ValidateOperator.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
