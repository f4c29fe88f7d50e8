package dev.freshet.flink.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record bound for one of the pipeline's output topics. Every output (samples, late engagements,
 * dead letters) goes through one exactly-once sink, so each checkpoint commits one Kafka
 * transaction per subtask instead of one per output.
 */
public final class OutboundRecord {
    public String topic;
    public byte[] key;
    public byte[] value;
    public long timestamp;
    public Map<String, String> headers;

    public OutboundRecord() {}

    public OutboundRecord(String topic, byte[] key, byte[] value, long timestamp, Map<String, String> headers) {
        this.topic = topic;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.headers = headers == null ? new LinkedHashMap<>() : headers;
    }
}
