package dev.freshet.flink.join;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.RejectReason;
import dev.freshet.flink.kafka.Parsed;
import dev.freshet.flink.types.FreshetTypes;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid events on and sends everything else to the dead-letter side output: records the
 * deserializer rejected, and (for impressions) events later than the allowed lateness.
 *
 * <p>Lateness is judged here, against this input's own watermark, because this is the last place
 * the original bytes are at hand. The join's watermark is never ahead of it, so an impression that
 * passes here is never late at the join.
 *
 * <p>An operator rather than a ProcessFunction because it must see every watermark, not only those
 * current when a record arrives: sources do not checkpoint watermarks, so after a restore every
 * record would pass as on time until the first new watermark. The watermark at each checkpoint is
 * kept in union state, and after a restore the lowest across subtasks (safe under rescaling) is the
 * floor of the lateness check. It is never below the join's watermark at that checkpoint, so an
 * impression the join has already forgotten is still rejected, never re-joined.
 */
public final class ValidateOperator<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<Parsed<T>, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", FreshetTypes.DEAD_LETTER);

    private final String kind;
    private final long allowedLatenessMillis;
    private final int maxDeadLetterBytes;

    private transient Map<RejectReason, Counter> rejected;
    private transient ListState<Long> watermarkState;
    private transient long watermark;

    /**
     * @param kind {@code impressions} or {@code engagements}, for metric names
     * @param allowedLatenessMillis events older than watermark minus this are dead letters with
     *     reason {@code late}; negative disables the check
     * @param maxDeadLetterBytes original bytes kept in a dead letter
     */
    public ValidateOperator(String kind, long allowedLatenessMillis, int maxDeadLetterBytes) {
        this.kind = kind;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.maxDeadLetterBytes = maxDeadLetterBytes;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermarkState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("validated-watermark", Types.LONG));
        watermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            long min = Long.MAX_VALUE;
            for (Long w : watermarkState.get()) {
                min = Math.min(min, w);
            }
            watermark = min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        rejected = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(
                    r,
                    getMetricGroup()
                            .addGroup("freshet")
                            .addGroup(kind)
                            .counter("rejected_" + r.wireName()));
        }
    }

    @Override
    public void processElement(StreamRecord<Parsed<T>> element) {
        Parsed<T> in = element.getValue();
        if (!in.isValid()) {
            rejected.get(in.deadLetter().reason()).inc();
            output.collect(DEAD_LETTERS, new StreamRecord<>(in.deadLetter()));
            return;
        }
        if (allowedLatenessMillis >= 0
                && element.hasTimestamp()
                && watermark != Long.MIN_VALUE
                && element.getTimestamp() < watermark - allowedLatenessMillis) {
            rejected.get(RejectReason.LATE).inc();
            output.collect(
                    DEAD_LETTERS,
                    new StreamRecord<>(
                            in.asDeadLetter(
                                    RejectReason.LATE,
                                    "event_time "
                                            + element.getTimestamp()
                                            + " is more than "
                                            + allowedLatenessMillis
                                            + " ms behind the watermark "
                                            + watermark,
                                    maxDeadLetterBytes)));
            return;
        }
        output.collect(element.replace(in.event()));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarkState.update(List.of(watermark));
    }
}
