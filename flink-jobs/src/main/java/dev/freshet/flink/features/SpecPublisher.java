package dev.freshet.flink.features;

import dev.freshet.features.spec.FeatureConfig;
import dev.freshet.features.spec.FeatureFitter;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.features.spec.SpecChange;
import dev.freshet.flink.types.FreshetTypes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the newest fit of every subtask into one fit of the whole stream's trailing window and
 * publishes a new spec when it differs enough from the current one ({@link SpecChange}). The first
 * spec is published once the fit covers {@code bootstrapSamples} samples. Runs with parallelism 1:
 * there is one current spec.
 */
public final class SpecPublisher extends ProcessFunction<FitPartial, FeatureSpec>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SpecPublisher.class);

    private final FeatureConfig config;
    private final long bootstrapSamples;

    private transient Map<Integer, FitPartial> partials;

    /** The partials decoded once, on arrival; each refit merges all of them. */
    private transient Map<Integer, FeatureFitter> fitters;

    private transient FeatureSpec current;
    private transient ListState<FitPartial> partialState;
    private transient ListState<byte[]> specState;

    public SpecPublisher(FeatureConfig config, long bootstrapSamples) {
        this.config = config;
        this.bootstrapSamples = bootstrapSamples;
    }

    @Override
    public void processElement(FitPartial partial, Context ctx, Collector<FeatureSpec> out) {
        keep(partial);
        FeatureFitter merged = new FeatureFitter(config);
        for (FeatureFitter f : fitters.values()) {
            merged.merge(f);
        }
        if (merged.samples() < bootstrapSamples && current == null) {
            return;
        }
        FeatureSpec candidate = merged.fit();
        if (current == null || SpecChange.significant(current, candidate, config)) {
            LOG.info(
                    "Publishing feature spec {} (fitted on {} samples; previous {})",
                    candidate.version(),
                    merged.samples(),
                    current == null ? "none" : current.version());
            current = candidate;
            out.collect(candidate);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        partialState.update(List.copyOf(partials.values()));
        specState.update(current == null ? List.of() : List.of(FeatureSpecJson.toBytes(current)));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        partialState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "fit-partials", FreshetTypes.FIT_PARTIAL));
        specState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "current-spec",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        partials = new TreeMap<>();
        fitters = new TreeMap<>();
        for (FitPartial p : partialState.get()) {
            keep(p);
        }
        current = null;
        for (byte[] spec : specState.get()) {
            current = FeatureSpecJson.fromBytes(spec);
        }
    }

    private void keep(FitPartial partial) {
        partials.put(partial.subtask(), partial);
        fitters.put(partial.subtask(), FeatureFitter.fromBytes(config, partial.fitter()));
    }
}
