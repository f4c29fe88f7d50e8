package dev.freshet.flink.features;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.FeatureConfig;
import dev.freshet.features.spec.FeatureFitter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Fits the feature spec on this subtask's share of the stream over a trailing window: one fitter
 * per {@code refitInterval} slice, the last {@code window / refitInterval} slices kept. Every
 * interval (processing time) it ships the merge of its slices to the publisher and starts a new
 * slice. Slices are checkpointed in their byte form.
 *
 * <p>An operator rather than a function because it needs processing-time callbacks without a key.
 */
public final class FitOperator extends AbstractStreamOperator<FitPartial>
        implements OneInputStreamOperator<Sample, FitPartial>, ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    private final FeatureConfig config;
    private final long intervalMillis;
    private final int slicesInWindow;

    private transient Deque<FeatureFitter> slices;
    private transient ListState<byte[]> state;

    public FitOperator(FeatureConfig config, Duration refitInterval) {
        this.config = config;
        this.intervalMillis = refitInterval.toMillis();
        this.slicesInWindow =
                (int)
                        Math.max(
                                1,
                                (config.window().toMillis() + intervalMillis - 1) / intervalMillis);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "fit-slices",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        slices = new ArrayDeque<>();
        for (byte[] bytes : state.get()) {
            slices.addLast(FeatureFitter.fromBytes(config, bytes));
        }
        if (slices.isEmpty()) {
            slices.addLast(new FeatureFitter(config));
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        schedule();
    }

    @Override
    public void processElement(StreamRecord<Sample> element) {
        slices.peekLast().add(RawInputs.of(element.getValue()));
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        FeatureFitter merged = new FeatureFitter(config);
        slices.forEach(merged::merge);
        if (merged.samples() > 0) {
            output.collect(
                    new StreamRecord<>(
                            new FitPartial(
                                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                                    merged.samples(),
                                    merged.toBytes())));
        }
        slices.addLast(new FeatureFitter(config));
        while (slices.size() > slicesInWindow) {
            slices.removeFirst();
        }
        schedule();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<byte[]> bytes = new ArrayList<>();
        slices.forEach(f -> bytes.add(f.toBytes()));
        state.update(bytes);
    }

    private void schedule() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + intervalMillis, this);
    }
}
