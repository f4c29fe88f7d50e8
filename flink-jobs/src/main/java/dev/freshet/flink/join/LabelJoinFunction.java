package dev.freshet.flink.join;

import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.Impression;
import dev.freshet.features.sample.Sample;
import dev.freshet.flink.config.TaskWindows;
import dev.freshet.flink.types.FreshetTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins impressions with their engagements, keyed by impression id, and emits one labeled sample
 * per impression once its longest attribution window has closed in event time.
 *
 * <p>Per key the state is one {@link JoinKeyState}: the pending impression, the label bits folded
 * in as engagements arrive, the ids of the engagements seen (which makes duplicates idempotent),
 * engagements held until their impression arrives, and after emission an "emitted" marker that
 * routes stragglers to {@code late-engagements} and makes a repeated impression a no-op. Timers, in
 * event time:
 *
 * <ul>
 *   <li>{@code t_imp + longest window}: emit the sample, keep the marker;
 *   <li>{@code t_imp + longest window + lateness + 1}: forget the key;
 *   <li>{@code t_eng + lateness + 1} for an engagement that arrived before its impression: by then
 *       any impression it could belong to would be rejected as late, so it is unmatched.
 * </ul>
 *
 * A timer finds state in whatever shape it is now and acts on that, so stale timers are harmless;
 * every path ends with the key's state cleared. State TTL is a backstop only.
 */
public final class LabelJoinFunction
        extends KeyedCoProcessFunction<String, Impression, Engagement, Sample> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<LateEngagement> LATE_ENGAGEMENTS =
            new OutputTag<>("late-engagements", FreshetTypes.LATE_ENGAGEMENT);

    /**
     * The state's name. It replaced "pending-impression", "emitted-at" and "engagements" (a
     * different shape, so a new name); savepoints from before that change do not restore into it.
     */
    static final String STATE_NAME = "join-key-state";

    private final TaskWindows tasks;
    private final long latenessMillis;
    private final NegativeSampler sampler;
    private final Duration stateTtl;

    private transient ValueState<JoinKeyState> state;
    private transient LabelSets labelSets;
    private transient ImpressionBytes impressionBytes;

    private transient Counter samples;
    private transient Counter negativesDropped;
    private transient Counter duplicateImpressions;
    private transient Counter duplicateEngagements;
    private transient Counter lateEngagements;
    private transient Counter unmatchedEngagements;
    private transient Counter unknownTypes;
    private transient Counter outsideWindow;

    public LabelJoinFunction(
            TaskWindows tasks,
            Duration allowedLateness,
            NegativeSampler sampler,
            Duration stateTtl) {
        this.tasks = tasks;
        this.latenessMillis = allowedLateness.toMillis();
        this.sampler = sampler;
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(stateTtl)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        // Timers clear every key; TTL is a backstop. Heap-backend incremental
                        // cleanup runs on every state access and cost a third of the join's CPU
                        // (docs/BENCHMARKS.md); RocksDB's compaction filter is free at run time.
                        .disableCleanupInBackground()
                        .cleanupFullSnapshot()
                        .cleanupInRocksdbCompactFilter(1000)
                        .build();
        ValueStateDescriptor<JoinKeyState> desc =
                new ValueStateDescriptor<>(STATE_NAME, JoinKeyStateCodec.TYPE);
        desc.enableTimeToLive(ttl);
        state = getRuntimeContext().getState(desc);
        labelSets = new LabelSets(tasks);
        impressionBytes = new ImpressionBytes();

        MetricGroup m = getRuntimeContext().getMetricGroup().addGroup("freshet").addGroup("join");
        samples = m.counter("samples_emitted");
        negativesDropped = m.counter("negatives_downsampled");
        duplicateImpressions = m.counter("duplicate_impressions");
        duplicateEngagements = m.counter("duplicate_engagements");
        lateEngagements = m.counter("late_engagements");
        unmatchedEngagements = m.counter("unmatched_engagements");
        unknownTypes = m.counter("engagements_unknown_type");
        outsideWindow = m.counter("engagements_outside_window");
    }

    @Override
    public void processElement1(Impression imp, Context ctx, Collector<Sample> out)
            throws Exception {
        JoinKeyState s = state.value();
        if (s == null) {
            state.update(JoinKeyState.pendingFirst(impressionBytes.write(imp), imp.eventTime()));
        } else if (s.isPending() || s.isEmitted()) {
            duplicateImpressions.inc();
            return;
        } else {
            // Engagements that came first: their labels are known now that the impression is.
            int bits = 0;
            for (Engagement e : s.held()) {
                bits |= labelBit(imp.eventTime(), e);
            }
            state.update(s.pending(impressionBytes.write(imp), imp.eventTime(), bits));
        }
        ctx.timerService().registerEventTimeTimer(emitTime(imp.eventTime()));
    }

    @Override
    public void processElement2(Engagement eng, Context ctx, Collector<Sample> out)
            throws Exception {
        if (tasks.taskOf(eng.type()) == null) {
            unknownTypes.inc();
            return;
        }
        JoinKeyState s = state.value();
        if (s != null && s.hasSeen(eng.engagementId())) {
            duplicateEngagements.inc();
            return;
        }
        if (s != null && s.isEmitted()) {
            state.update(s.seen(eng.engagementId(), 0)); // remembered so a repeat is a duplicate
            lateEngagements.inc();
            ctx.output(LATE_ENGAGEMENTS, new LateEngagement(eng, LateEngagement.AFTER_EMIT));
            return;
        }
        if (s != null && s.isPending()) {
            state.update(s.seen(eng.engagementId(), labelBit(s.impressionTime(), eng)));
            return;
        }
        long expiry = eng.eventTime() + latenessMillis + 1;
        if (expiry <= ctx.timerService().currentWatermark()) {
            // Any impression it could belong to would already be rejected as late.
            unmatchedEngagements.inc();
            ctx.output(LATE_ENGAGEMENTS, new LateEngagement(eng, LateEngagement.UNMATCHED));
            return;
        }
        state.update(s == null ? JoinKeyState.holding(eng) : s.hold(eng));
        ctx.timerService().registerEventTimeTimer(expiry);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Sample> out)
            throws Exception {
        JoinKeyState s = state.value();
        if (s == null) {
            return;
        }
        if (s.isPending()) {
            long impTime = s.impressionTime();
            if (timestamp >= emitTime(impTime)) {
                emit(s, ctx.getCurrentKey(), out);
                state.update(s.emitted());
                ctx.timerService().registerEventTimeTimer(forgetTime(impTime));
            }
            return; // an earlier timer of a held engagement: it now belongs to the impression
        }
        if (s.isEmitted()) {
            if (timestamp >= forgetTime(s.emittedAt())) {
                state.clear();
            }
            return;
        }
        expireHeldEngagements(s, timestamp, ctx);
    }

    /**
     * The label bit {@code eng} sets on the sample of an impression at {@code impressionTime}: its
     * task's bit if it happened within that task's window after the impression, else 0 (and counted
     * as outside the window).
     */
    private int labelBit(long impressionTime, Engagement eng) {
        String task = tasks.taskOf(eng.type());
        long delay = eng.eventTime() - impressionTime;
        if (delay >= 0 && delay <= tasks.windowMillis(task)) {
            return labelSets.bitOf(task);
        }
        outsideWindow.inc();
        return 0;
    }

    /**
     * @param impressionId the key, so a dropped negative is never deserialized
     */
    private void emit(JoinKeyState s, String impressionId, Collector<Sample> out) {
        int labelBits = s.labelBits();
        float weight = 1.0f;
        if (labelBits == 0) {
            if (!sampler.keep(impressionId)) {
                negativesDropped.inc();
                return;
            }
            weight = sampler.weight();
        }
        samples.inc();
        Impression imp = impressionBytes.read(s.impression());
        out.collect(
                RawSamples.of(
                        imp, labelSets.labels(labelBits), weight, System.currentTimeMillis()));
    }

    private void expireHeldEngagements(JoinKeyState s, long timestamp, OnTimerContext ctx)
            throws Exception {
        List<Engagement> stillHeld = new ArrayList<>(s.held().length);
        for (Engagement e : s.held()) {
            if (e.eventTime() + latenessMillis + 1 <= timestamp) {
                unmatchedEngagements.inc();
                ctx.output(LATE_ENGAGEMENTS, new LateEngagement(e, LateEngagement.UNMATCHED));
            } else {
                stillHeld.add(e);
            }
        }
        if (stillHeld.isEmpty()) {
            state.clear();
        } else if (stillHeld.size() < s.held().length) {
            state.update(s.holdingOnly(stillHeld));
        }
    }

    private long emitTime(long impressionTime) {
        return impressionTime + tasks.maxWindowMillis();
    }

    private long forgetTime(long impressionTime) {
        return impressionTime + tasks.maxWindowMillis() + latenessMillis + 1;
    }
}
