package dev.freshet.simulator;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record the {@link TrafficModel} produced, and when to send it.
 *
 * @param sendAtMillis wall-clock time at which the record is due
 * @param topic the Kafka topic
 * @param key the record key (the impression id)
 * @param value the JSON bytes, valid or not
 * @param kind how the record is counted in {@link SimulatorStats}
 */
public record ScheduledEvent(long sendAtMillis, String topic, String key, byte[] value, Kind kind) {

    /** How a record is counted. */
    public enum Kind {
        IMPRESSION,
        ENGAGEMENT,
        /** A valid engagement scheduled before its impression. */
        EARLY_ENGAGEMENT,
        MALFORMED,
        DUPLICATE
    }

    public ScheduledEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(kind, "kind");
    }

    /** Equal when every field is, the value byte for byte. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduledEvent e
                && sendAtMillis == e.sendAtMillis
                && topic.equals(e.topic)
                && Objects.equals(key, e.key)
                && Arrays.equals(value, e.value)
                && kind == e.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sendAtMillis, topic, key, Arrays.hashCode(value), kind);
    }

    @Override
    public String toString() {
        return "ScheduledEvent[" + sendAtMillis + " " + topic + " " + key + " " + kind + "]";
    }
}
