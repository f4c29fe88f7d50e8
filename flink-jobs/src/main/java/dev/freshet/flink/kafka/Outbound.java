package dev.freshet.flink.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.flink.join.LateEngagement;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.util.Collector;

/** The three mappings from pipeline outputs to Kafka records. */
public final class Outbound {

    /** Header on {@code late-engagements}: {@code after_emit} or {@code unmatched}. */
    public static final String LATE_REASON_HEADER = "freshet.late.reason";

    private Outbound() {}

    /** Samples, Avro single-object encoded, keyed by impression id. */
    public static final class SampleRecords extends RichMapFunction<Sample, OutboundRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private transient SampleCodec codec;

        public SampleRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(OpenContext openContext) {
            codec = new SampleCodec();
        }

        @Override
        public OutboundRecord map(Sample s) {
            return new OutboundRecord(
                    topic,
                    utf8(s.impressionId()),
                    codec.encode(s),
                    System.currentTimeMillis(),
                    null);
        }
    }

    /** Late engagements, as the engagement JSON with the reason in a header. */
    public static final class LateEngagementRecords
            implements MapFunction<LateEngagement, OutboundRecord> {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = JsonMapper.builder().build();
        private final String topic;

        public LateEngagementRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public OutboundRecord map(LateEngagement late) {
            ObjectNode o = JSON.createObjectNode();
            o.put("engagement_id", late.engagement().engagementId());
            o.put("impression_id", late.engagement().impressionId());
            o.put("type", late.engagement().type());
            o.put("event_time", late.engagement().eventTime());
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(LATE_REASON_HEADER, late.reason());
            return new OutboundRecord(
                    topic,
                    utf8(late.engagement().impressionId()),
                    o.toString().getBytes(StandardCharsets.UTF_8),
                    System.currentTimeMillis(),
                    headers);
        }
    }

    /** Dead letters: the original bytes as the value, what went wrong and where in headers. */
    public static final class DeadLetterRecords implements MapFunction<DeadLetter, OutboundRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        public DeadLetterRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public OutboundRecord map(DeadLetter d) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(DeadLetter.HEADER_REASON, d.reason().wireName());
            headers.put(DeadLetter.HEADER_DETAIL, d.detail() == null ? "" : d.detail());
            headers.put(DeadLetter.HEADER_TOPIC, d.sourceTopic());
            headers.put(DeadLetter.HEADER_PARTITION, Integer.toString(d.sourcePartition()));
            headers.put(DeadLetter.HEADER_OFFSET, Long.toString(d.sourceOffset()));
            if (d.truncated()) {
                headers.put(DeadLetter.HEADER_TRUNCATED, "true");
            }
            return new OutboundRecord(
                    topic, d.key(), d.value(), System.currentTimeMillis(), headers);
        }
    }

    /**
     * Published specs, twice: under key {@code latest} (what a reader of the compacted topic wants)
     * and under their version (the history, for samples and checkpoints that name an older one).
     */
    public static final class SpecRecords implements FlatMapFunction<FeatureSpec, OutboundRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        public SpecRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public void flatMap(FeatureSpec spec, Collector<OutboundRecord> out) {
            byte[] json = FeatureSpecJson.toBytes(spec);
            long now = System.currentTimeMillis();
            out.collect(new OutboundRecord(topic, utf8("latest"), json, now, null));
            out.collect(new OutboundRecord(topic, utf8(spec.version()), json, now, null));
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
