package dev.freshet.flink.features;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.Topics;
import dev.freshet.flink.kafka.Outbound;
import dev.freshet.flink.kafka.OutboundRecord;
import dev.freshet.flink.types.FreshetTypes;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The feature-processing stage, between the join and the sink: fit the spec on the stream (per
 * subtask, then merged by one publisher), broadcast each new spec to the operator that applies it,
 * and publish it to {@link Topics#FEATURE_SPECS}.
 *
 * @param samples processed samples, stamped with their spec version
 * @param deadLetters samples the spec could not transform
 * @param specRecords published specs, bound for the compacted spec topic
 */
public record FeatureStage(
        DataStream<Sample> samples,
        DataStream<DeadLetter> deadLetters,
        DataStream<OutboundRecord> specRecords) {

    public static FeatureStage attach(DataStream<Sample> raw, PipelineConfig config) {
        SingleOutputStreamOperator<FitPartial> partials =
                raw.transform(
                                "fit feature spec",
                                FreshetTypes.FIT_PARTIAL,
                                new FitOperator(config.features(), config.refitInterval()))
                        .uid("fit-feature-spec");
        SingleOutputStreamOperator<FeatureSpec> specs =
                partials.process(
                                new SpecPublisher(config.features(), config.bootstrapSamples()),
                                FreshetTypes.FEATURE_SPEC)
                        .setParallelism(1)
                        .uid("publish-feature-spec")
                        .name("publish feature spec");
        SingleOutputStreamOperator<Sample> processed =
                raw.connect(specs.broadcast(ApplySpecFunction.SPEC))
                        .process(
                                new ApplySpecFunction(
                                        config.topics().samples(),
                                        config.limits().maxRecordBytes()),
                                FreshetTypes.SAMPLE)
                        .uid("apply-feature-spec")
                        .name("apply feature spec");
        DataStream<OutboundRecord> specRecords =
                specs.flatMap(
                                new Outbound.SpecRecords(Topics.FEATURE_SPECS),
                                FreshetTypes.OUTBOUND_RECORD)
                        .setParallelism(1)
                        .uid("encode-feature-specs")
                        .name("encode feature specs");
        return new FeatureStage(
                processed, processed.getSideOutput(ApplySpecFunction.DEAD_LETTERS), specRecords);
    }
}
