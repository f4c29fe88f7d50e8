package dev.freshet.flink.join;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.Impression;
import dev.freshet.features.sample.Sample;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.features.FeatureStage;
import dev.freshet.flink.kafka.Outbound;
import dev.freshet.flink.kafka.OutboundRecord;
import dev.freshet.flink.kafka.Parsed;
import dev.freshet.flink.kafka.ParsedPosition;
import dev.freshet.flink.time.DrainProbe;
import dev.freshet.flink.time.QuietAwareWatermarks;
import dev.freshet.flink.types.FreshetTypes;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The label-join job: impressions + engagements in, labeled samples, late engagements and dead
 * letters out through one exactly-once sink.
 *
 * <p>Sources and sink come in through the constructor so tests can run the same topology on other
 * sources; {@link LabelJoinMain} wires Kafka.
 */
public final class LabelJoinJob {

    private final PipelineConfig config;
    private final Source<Parsed<Impression>, ?, ?> impressions;
    private final Source<Parsed<Engagement>, ?, ?> engagements;
    private final Sink<OutboundRecord> sink;
    private final DrainProbe drainProbe;

    /**
     * @param drainProbe tells a quiet source whether it has read everything (see {@link
     *     QuietAwareWatermarks})
     */
    public LabelJoinJob(
            PipelineConfig config,
            Source<Parsed<Impression>, ?, ?> impressions,
            Source<Parsed<Engagement>, ?, ?> engagements,
            Sink<OutboundRecord> sink,
            DrainProbe drainProbe) {
        this.config = config;
        this.impressions = impressions;
        this.engagements = engagements;
        this.sink = sink;
        this.drainProbe = drainProbe;
    }

    /** Adds the job's operators to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        int maxDeadLetterBytes = config.limits().maxRecordBytes();
        long lateness = config.allowedLateness().toMillis();

        SingleOutputStreamOperator<Impression> validImpressions =
                env.fromSource(impressions, watermarks(), "impressions")
                        .uid("impressions-source")
                        .transform(
                                "validate impressions",
                                FreshetTypes.IMPRESSION,
                                new ValidateOperator<Impression>(
                                        "impressions", lateness, maxDeadLetterBytes))
                        .uid("validate-impressions");
        // Engagements are judged late by the join, which knows whether their impression was
        // emitted.
        SingleOutputStreamOperator<Engagement> validEngagements =
                env.fromSource(engagements, watermarks(), "engagements")
                        .uid("engagements-source")
                        .transform(
                                "validate engagements",
                                FreshetTypes.ENGAGEMENT,
                                new ValidateOperator<Engagement>(
                                        "engagements", -1, maxDeadLetterBytes))
                        .uid("validate-engagements");

        SingleOutputStreamOperator<Sample> samples =
                validImpressions
                        .connect(validEngagements)
                        .keyBy(new ImpressionKey(), new EngagementKey())
                        .process(
                                new LabelJoinFunction(
                                        config.tasks(),
                                        config.allowedLateness(),
                                        new NegativeSampler(
                                                config.negativeSampleRate(), config.samplingSeed()),
                                        config.stateTtl()),
                                FreshetTypes.SAMPLE)
                        .uid("label-join")
                        .name("label join");

        DataStream<Sample> output = samples;
        DataStream<OutboundRecord> specRecords = null;
        DataStream<DeadLetter> featureDeadLetters = null;
        if (config.features() != null) {
            FeatureStage features = FeatureStage.attach(samples, config);
            output = features.samples();
            specRecords = features.specRecords();
            featureDeadLetters = features.deadLetters();
        }
        DataStream<OutboundRecord> sampleRecords =
                output.map(
                                new Outbound.SampleRecords(config.topics().samples()),
                                FreshetTypes.OUTBOUND_RECORD)
                        .uid("encode-samples")
                        .name("encode samples");
        DataStream<OutboundRecord> lateRecords =
                samples.getSideOutput(LabelJoinFunction.LATE_ENGAGEMENTS)
                        .map(
                                new Outbound.LateEngagementRecords(
                                        config.topics().lateEngagements()),
                                FreshetTypes.OUTBOUND_RECORD)
                        .uid("encode-late-engagements")
                        .name("encode late engagements");
        DataStream<DeadLetter> deadLetters =
                validImpressions
                        .getSideOutput(ValidateOperator.DEAD_LETTERS)
                        .union(validEngagements.getSideOutput(ValidateOperator.DEAD_LETTERS));
        if (featureDeadLetters != null) {
            deadLetters = deadLetters.union(featureDeadLetters);
        }
        DataStream<OutboundRecord> deadLetterRecords =
                deadLetters
                        .map(
                                new Outbound.DeadLetterRecords(config.topics().deadLetters()),
                                FreshetTypes.OUTBOUND_RECORD)
                        .uid("encode-dead-letters")
                        .name("encode dead letters");

        DataStream<OutboundRecord> all = sampleRecords.union(lateRecords, deadLetterRecords);
        if (specRecords != null) {
            all = all.union(specRecords);
        }
        all.sinkTo(sink).uid("kafka-sink").name("kafka sink");
    }

    private <T> WatermarkStrategy<Parsed<T>> watermarks() {
        return QuietAwareWatermarks.strategy(
                config.maxOutOfOrderness(),
                config.idleTimeout(),
                config.emptyPartitionTimeout(),
                (parsed, kafkaTimestamp) -> eventTimeOf(parsed),
                new ParsedPosition<>(),
                drainProbe);
    }

    /** Event time of a valid record; dead letters carry none and never move the watermark. */
    static long eventTimeOf(Parsed<?> parsed) {
        if (parsed.event() instanceof Impression i) {
            return i.eventTime();
        }
        if (parsed.event() instanceof Engagement e) {
            return e.eventTime();
        }
        return Long.MIN_VALUE;
    }

    public static final class ImpressionKey implements KeySelector<Impression, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Impression imp) {
            return imp.impressionId();
        }
    }

    public static final class EngagementKey implements KeySelector<Engagement, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Engagement eng) {
            return eng.impressionId();
        }
    }
}
