package dev.freshet.flink.kafka;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.RejectReason;

/**
 * One Kafka record after validation: either the event, or the dead letter it became. Valid events
 * keep their source coordinates and original bytes until the lateness check, which may still turn
 * them into a dead letter.
 *
 * <p>A mutable POJO (not a record) so Flink serializes it with its POJO serializer.
 */
public final class Parsed<T> {
    public T event;
    public DeadLetter deadLetter;
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;

    public Parsed() {}

    public static <T> Parsed<T> valid(T event, String topic, int partition, long offset, byte[] key, byte[] value) {
        Parsed<T> p = new Parsed<>();
        p.event = event;
        p.topic = topic;
        p.partition = partition;
        p.offset = offset;
        p.key = key;
        p.value = value;
        return p;
    }

    public static <T> Parsed<T> rejected(DeadLetter deadLetter) {
        Parsed<T> p = new Parsed<>();
        p.deadLetter = deadLetter;
        p.topic = deadLetter.sourceTopic();
        p.partition = deadLetter.sourcePartition();
        p.offset = deadLetter.sourceOffset();
        return p;
    }

    /** The dead letter for this (valid) event, for when it turns out to be late. */
    public DeadLetter asDeadLetter(RejectReason reason, String detail, int maxBytes) {
        return DeadLetter.of(reason, detail, topic, partition, offset, key, value, maxBytes);
    }

    public boolean isValid() {
        return deadLetter == null;
    }
}
