package dev.freshet.flink.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes an {@link OutboundRecord} to its topic, with its headers. */
public final class OutboundSerializer implements KafkaRecordSerializationSchema<OutboundRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            OutboundRecord r, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            headers.add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value(), headers);
    }
}
