package dev.freshet.flink.features;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.ParseResult;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleJson;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.features.transform.FeatureTransform;
import dev.freshet.features.transform.ModelInput;
import dev.freshet.flink.types.FreshetTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Applies the current feature spec (broadcast state) to raw samples and stamps its version on them.
 * Until the first spec arrives, samples are held in operator state (the bootstrap is "hold until
 * fitted": every sample is then produced by a fitted spec, and no throwaway version exists). A
 * sample the spec cannot transform becomes a dead letter carrying its JSON view.
 */
public final class ApplySpecFunction extends BroadcastProcessFunction<Sample, FeatureSpec, Sample>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final String CURRENT = "current";

    /** The broadcast state: key {@code current}, the spec's JSON form. */
    public static final MapStateDescriptor<String, byte[]> SPEC =
            new MapStateDescriptor<>(
                    "feature-spec",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("feature-dead-letters", FreshetTypes.DEAD_LETTER);

    private final String samplesTopic;
    private final int maxDeadLetterBytes;

    private transient FeatureTransform transform;
    private transient List<Sample> held;
    private transient ListState<Sample> heldState;

    public ApplySpecFunction(String samplesTopic, int maxDeadLetterBytes) {
        this.samplesTopic = samplesTopic;
        this.maxDeadLetterBytes = maxDeadLetterBytes;
    }

    @Override
    public void processElement(Sample raw, ReadOnlyContext ctx, Collector<Sample> out)
            throws Exception {
        FeatureTransform t = transform(ctx.getBroadcastState(SPEC));
        if (t == null) {
            held.add(raw);
            return;
        }
        apply(t, raw, out, dl -> ctx.output(DEAD_LETTERS, dl));
    }

    @Override
    public void processBroadcastElement(FeatureSpec spec, Context ctx, Collector<Sample> out)
            throws Exception {
        BroadcastState<String, byte[]> state = ctx.getBroadcastState(SPEC);
        state.put(CURRENT, FeatureSpecJson.toBytes(spec));
        transform = new FeatureTransform(spec);
        for (Sample s : held) {
            apply(transform, s, out, dl -> ctx.output(DEAD_LETTERS, dl));
        }
        held.clear();
    }

    private void apply(
            FeatureTransform t,
            Sample raw,
            Collector<Sample> out,
            Consumer<DeadLetter> deadLetters) {
        ParseResult<ModelInput> result = t.apply(RawInputs.of(raw));
        if (result instanceof ParseResult.Ok<ModelInput> ok) {
            ModelInput in = ok.value();
            out.collect(
                    new Sample(
                            raw.impressionId(),
                            raw.requestId(),
                            raw.userId(),
                            raw.itemId(),
                            raw.position(),
                            raw.eventTime(),
                            raw.emitTime(),
                            t.spec().version(),
                            raw.labels(),
                            raw.weight(),
                            in.dense(),
                            in.denseMissing(),
                            in.sparse(),
                            Map.of(),
                            in.embeddings()));
        } else {
            ParseResult.Rejected<ModelInput> r = (ParseResult.Rejected<ModelInput>) result;
            deadLetters.accept(
                    DeadLetter.of(
                            r.reason(),
                            r.detail(),
                            samplesTopic,
                            -1,
                            -1,
                            raw.impressionId().getBytes(StandardCharsets.UTF_8),
                            SampleJson.toJsonLine(raw).getBytes(StandardCharsets.UTF_8),
                            maxDeadLetterBytes));
        }
    }

    private FeatureTransform transform(ReadOnlyBroadcastState<String, byte[]> state)
            throws Exception {
        if (transform == null) {
            byte[] spec = state.get(CURRENT);
            if (spec != null) {
                transform = new FeatureTransform(FeatureSpecJson.fromBytes(spec));
            }
        }
        return transform;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        heldState.update(held);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        heldState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>("held-samples", FreshetTypes.SAMPLE));
        held = new ArrayList<>();
        heldState.get().forEach(held::add);
    }
}
