package dev.freshet.flink.kafka;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.RejectReason;

/**
 * One Kafka record after validation: either the event, or the dead letter it became. Valid events
 * keep their source coordinates and original bytes until the lateness check, which may still turn
 * them into a dead letter.
 */
public record Parsed<T>(
        T event,
        DeadLetter deadLetter,
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] value) {

    public static <T> Parsed<T> valid(
            T event, String topic, int partition, long offset, byte[] key, byte[] value) {
        return new Parsed<>(event, null, topic, partition, offset, key, value);
    }

    public static <T> Parsed<T> rejected(DeadLetter deadLetter) {
        return new Parsed<>(
                null,
                deadLetter,
                deadLetter.sourceTopic(),
                deadLetter.sourcePartition(),
                deadLetter.sourceOffset(),
                null,
                null);
    }

    /** The dead letter for this (valid) event, for when it turns out to be late. */
    public DeadLetter asDeadLetter(RejectReason reason, String detail, int maxBytes) {
        return DeadLetter.of(reason, detail, topic, partition, offset, key, value, maxBytes);
    }

    public boolean isValid() {
        return deadLetter == null;
    }
}
