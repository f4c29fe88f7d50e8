package dev.freshet.flink.pipeline;

import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.join.LabelJoinJob;
import dev.freshet.flink.kafka.EventDeserializer;
import dev.freshet.flink.kafka.KafkaDrainProbe;
import dev.freshet.flink.kafka.OutboundRecord;
import dev.freshet.flink.kafka.OutboundSerializer;
import dev.freshet.flink.kafka.Parsed;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Wires the label-join job to Kafka: sources, the exactly-once sink, and the job itself. */
public final class KafkaPipeline {

    private KafkaPipeline() {}

    public static LabelJoinJob labelJoin(PipelineConfig config) {
        return new LabelJoinJob(
                config,
                source(
                        config,
                        config.topics().impressions(),
                        EventDeserializer.impressions(config.limits())),
                source(
                        config,
                        config.topics().engagements(),
                        EventDeserializer.engagements(config.limits())),
                sink(config),
                new KafkaDrainProbe(config.bootstrapServers()));
    }

    static <T> KafkaSource<Parsed<T>> source(
            PipelineConfig config, String topic, EventDeserializer<T> deserializer) {
        return KafkaSource.<Parsed<T>>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(topic)
                .setGroupId(config.groupId())
                // First start: from the beginning. Restarts resume from checkpointed offsets.
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000")
                // A record larger than max_record_bytes must reach the deserializer (which turns
                // it into a dead letter) rather than stall the fetch.
                .setProperty(
                        "max.partition.fetch.bytes",
                        Integer.toString(Math.max(1 << 20, config.limits().maxRecordBytes() * 2)))
                .build();
    }

    public static KafkaSink<OutboundRecord> sink(PipelineConfig config) {
        Properties producer = new Properties();
        // Must not exceed the broker's transaction.max.timeout.ms (15 min by default).
        producer.setProperty("transaction.timeout.ms", "900000");
        producer.setProperty(
                "max.request.size",
                Integer.toString(Math.max(1 << 20, config.limits().maxRecordBytes() * 2)));
        producer.setProperty("compression.type", "lz4");
        producer.setProperty("linger.ms", "20");
        return KafkaSink.<OutboundRecord>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(new OutboundSerializer())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.transactionalIdPrefix())
                .setKafkaProducerConfig(producer)
                .build();
    }
}
