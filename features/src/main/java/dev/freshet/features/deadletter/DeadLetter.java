package dev.freshet.features.deadletter;

import dev.freshet.features.event.RejectReason;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record set aside instead of processed. The original key and value bytes are kept verbatim so
 * the record can be inspected and replayed after a fix.
 *
 * @param reason why it was set aside
 * @param detail a human-readable explanation naming the offending field
 * @param sourceTopic the topic it was read from
 * @param sourcePartition the partition it was read from
 * @param sourceOffset its offset in that partition
 * @param key the original key bytes, may be null
 * @param value the original value bytes, truncated to the size limit when {@code truncated}
 * @param truncated whether {@code value} was cut to fit the dead-letter topic
 */
public record DeadLetter(
        RejectReason reason,
        String detail,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        byte[] key,
        byte[] value,
        boolean truncated) {

    /** Kafka header names under which the metadata travels; the record value is the original. */
    public static final String HEADER_REASON = "freshet.dlq.reason";

    public static final String HEADER_DETAIL = "freshet.dlq.detail";
    public static final String HEADER_TOPIC = "freshet.dlq.source.topic";
    public static final String HEADER_PARTITION = "freshet.dlq.source.partition";
    public static final String HEADER_OFFSET = "freshet.dlq.source.offset";
    public static final String HEADER_TRUNCATED = "freshet.dlq.truncated";

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sourceTopic, "sourceTopic");
    }

    /** Keeps at most {@code limit} bytes of the original so the dead letter itself fits. */
    public static DeadLetter of(
            RejectReason reason,
            String detail,
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            int limit) {
        boolean truncate = value != null && value.length > limit;
        byte[] kept = truncate ? Arrays.copyOf(value, limit) : value;
        return new DeadLetter(reason, detail, topic, partition, offset, key, kept, truncate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d
                && reason == d.reason
                && Objects.equals(detail, d.detail)
                && sourceTopic.equals(d.sourceTopic)
                && sourcePartition == d.sourcePartition
                && sourceOffset == d.sourceOffset
                && Arrays.equals(key, d.key)
                && Arrays.equals(value, d.value)
                && truncated == d.truncated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, sourceTopic, sourcePartition, sourceOffset);
    }

    @Override
    public String toString() {
        return "DeadLetter["
                + reason.wireName()
                + " "
                + sourceTopic
                + "/"
                + sourcePartition
                + "@"
                + sourceOffset
                + ": "
                + detail
                + "]";
    }
}
