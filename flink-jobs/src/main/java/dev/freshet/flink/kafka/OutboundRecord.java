package dev.freshet.flink.kafka;

import java.util.Map;

/**
 * A record bound for one of the pipeline's output topics. Every output (samples, late engagements,
 * dead letters) goes through one exactly-once sink, so each checkpoint commits one Kafka
 * transaction per subtask instead of one per output.
 *
 * @param timestamp the Kafka record timestamp: the wall-clock time of production, so retention
 *     never deletes fresh output about old (replayed) events
 */
public record OutboundRecord(
        String topic, byte[] key, byte[] value, long timestamp, Map<String, String> headers) {

    public OutboundRecord {
        headers = headers == null ? Map.of() : headers;
    }
}
