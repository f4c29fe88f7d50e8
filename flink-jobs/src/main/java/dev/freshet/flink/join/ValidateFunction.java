package dev.freshet.flink.join;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.RejectReason;
import dev.freshet.flink.kafka.Parsed;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid events on and sends everything else to the dead-letter side output: records the
 * deserializer rejected, and (for impressions) events later than the allowed lateness.
 *
 * <p>Lateness is judged here, against this input's own watermark, because this is the last place
 * the original bytes are at hand. The join's watermark is never ahead of it, so an impression that
 * passes here is never late at the join.
 */
public final class ValidateFunction<T> extends ProcessFunction<Parsed<T>, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class)) {};

    private final long allowedLatenessMillis;
    private final int maxDeadLetterBytes;
    private final String kind;
    private transient Map<RejectReason, Counter> rejected;

    /**
     * @param kind {@code impressions} or {@code engagements}, for metric names
     * @param allowedLatenessMillis events older than watermark minus this are dead letters with
     *     reason {@code late}; negative disables the check
     * @param maxDeadLetterBytes original bytes kept in a dead letter
     */
    public ValidateFunction(String kind, long allowedLatenessMillis, int maxDeadLetterBytes) {
        this.kind = kind;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.maxDeadLetterBytes = maxDeadLetterBytes;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        rejected = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, getRuntimeContext().getMetricGroup()
                    .addGroup("freshet").addGroup(kind).counter("rejected_" + r.wireName()));
        }
    }

    @Override
    public void processElement(Parsed<T> in, Context ctx, Collector<T> out) {
        if (!in.isValid()) {
            rejected.get(in.deadLetter.reason()).inc();
            ctx.output(DEAD_LETTERS, in.deadLetter);
            return;
        }
        if (allowedLatenessMillis >= 0) {
            long watermark = ctx.timerService().currentWatermark();
            Long ts = ctx.timestamp();
            if (ts != null && watermark != Long.MIN_VALUE && ts < watermark - allowedLatenessMillis) {
                rejected.get(RejectReason.LATE).inc();
                ctx.output(DEAD_LETTERS, in.asDeadLetter(RejectReason.LATE,
                        "event_time " + ts + " is more than " + allowedLatenessMillis
                                + " ms behind the watermark " + watermark, maxDeadLetterBytes));
                return;
            }
        }
        out.collect(in.event);
    }
}
