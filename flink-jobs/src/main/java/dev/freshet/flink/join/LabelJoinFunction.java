package dev.freshet.flink.join;

import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.Impression;
import dev.freshet.features.sample.Sample;
import dev.freshet.flink.config.TaskWindows;
import dev.freshet.flink.types.FreshetTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins impressions with their engagements, keyed by impression id, and emits one labeled sample
 * per impression once its longest attribution window has closed in event time.
 *
 * <p>Per key the state is: the pending impression, the engagements seen (by engagement id, which
 * makes duplicates idempotent), and after emission an "emitted" marker that routes stragglers to
 * {@code late-engagements} and makes a repeated impression a no-op. Timers, in event time:
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

    private final TaskWindows tasks;
    private final long latenessMillis;
    private final NegativeSampler sampler;
    private final Duration stateTtl;

    private transient ValueState<Impression> pending;
    private transient ValueState<Long> emittedAt;
    private transient MapState<String, Engagement> engagements;

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
        ValueStateDescriptor<Impression> pendingDesc =
                new ValueStateDescriptor<>("pending-impression", FreshetTypes.IMPRESSION);
        ValueStateDescriptor<Long> emittedDesc =
                new ValueStateDescriptor<>("emitted-at", Types.LONG);
        MapStateDescriptor<String, Engagement> engagementsDesc =
                new MapStateDescriptor<>("engagements", Types.STRING, FreshetTypes.ENGAGEMENT);
        pendingDesc.enableTimeToLive(ttl);
        emittedDesc.enableTimeToLive(ttl);
        engagementsDesc.enableTimeToLive(ttl);
        pending = getRuntimeContext().getState(pendingDesc);
        emittedAt = getRuntimeContext().getState(emittedDesc);
        engagements = getRuntimeContext().getMapState(engagementsDesc);

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
        if (pending.value() != null || emittedAt.value() != null) {
            duplicateImpressions.inc();
            return;
        }
        pending.update(imp);
        ctx.timerService().registerEventTimeTimer(emitTime(imp.eventTime()));
    }

    @Override
    public void processElement2(Engagement eng, Context ctx, Collector<Sample> out)
            throws Exception {
        if (tasks.taskOf(eng.type()) == null) {
            unknownTypes.inc();
            return;
        }
        if (engagements.contains(eng.engagementId())) {
            duplicateEngagements.inc();
            return;
        }
        if (emittedAt.value() != null) {
            engagements.put(eng.engagementId(), eng); // remembered so a repeat is a duplicate
            lateEngagements.inc();
            ctx.output(LATE_ENGAGEMENTS, new LateEngagement(eng, LateEngagement.AFTER_EMIT));
            return;
        }
        if (pending.value() != null) {
            engagements.put(eng.engagementId(), eng);
            return;
        }
        long expiry = eng.eventTime() + latenessMillis + 1;
        if (expiry <= ctx.timerService().currentWatermark()) {
            // Any impression it could belong to would already be rejected as late.
            unmatchedEngagements.inc();
            ctx.output(LATE_ENGAGEMENTS, new LateEngagement(eng, LateEngagement.UNMATCHED));
            return;
        }
        engagements.put(eng.engagementId(), eng);
        ctx.timerService().registerEventTimeTimer(expiry);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Sample> out)
            throws Exception {
        Impression imp = pending.value();
        if (imp != null) {
            if (timestamp >= emitTime(imp.eventTime())) {
                emit(imp, out);
                pending.clear();
                emittedAt.update(imp.eventTime());
                ctx.timerService().registerEventTimeTimer(forgetTime(imp.eventTime()));
            }
            return; // an earlier timer of a held engagement: it now belongs to the impression
        }
        Long emitted = emittedAt.value();
        if (emitted != null) {
            if (timestamp >= forgetTime(emitted)) {
                emittedAt.clear();
                engagements.clear();
            }
            return;
        }
        expireHeldEngagements(timestamp, ctx);
    }

    private void emit(Impression imp, Collector<Sample> out) throws Exception {
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (String task : tasks.tasks()) {
            labels.put(task, 0);
        }
        boolean positive = false;
        // Most impressions have no engagement: skip the iterator then.
        Iterable<Engagement> seen = engagements.isEmpty() ? List.of() : engagements.values();
        for (Engagement e : seen) {
            String task = tasks.taskOf(e.type());
            long delay = e.eventTime() - imp.eventTime();
            if (delay >= 0 && delay <= tasks.windowMillis(task)) {
                labels.put(task, 1);
                positive = true;
            } else {
                outsideWindow.inc();
            }
        }
        float weight = 1.0f;
        if (!positive) {
            if (!sampler.keep(imp.impressionId())) {
                negativesDropped.inc();
                return;
            }
            weight = sampler.weight();
        }
        samples.inc();
        out.collect(RawSamples.of(imp, labels, weight, System.currentTimeMillis()));
    }

    private void expireHeldEngagements(long timestamp, OnTimerContext ctx) throws Exception {
        List<String> expired = new ArrayList<>();
        boolean anyLeft = false;
        for (Iterator<Map.Entry<String, Engagement>> it = engagements.iterator(); it.hasNext(); ) {
            Map.Entry<String, Engagement> e = it.next();
            if (e.getValue().eventTime() + latenessMillis + 1 <= timestamp) {
                expired.add(e.getKey());
                unmatchedEngagements.inc();
                ctx.output(
                        LATE_ENGAGEMENTS,
                        new LateEngagement(e.getValue(), LateEngagement.UNMATCHED));
            } else {
                anyLeft = true;
            }
        }
        if (anyLeft) {
            for (String id : expired) {
                engagements.remove(id);
            }
        } else {
            engagements.clear();
        }
    }

    private long emitTime(long impressionTime) {
        return impressionTime + tasks.maxWindowMillis();
    }

    private long forgetTime(long impressionTime) {
        return impressionTime + tasks.maxWindowMillis() + latenessMillis + 1;
    }
}
