package dev.freshet.reliability;

/**
 * One adversarial Kafka record and what the pipeline must do with it.
 *
 * @param topic {@code impressions} or {@code engagements} (logical name)
 * @param kind what is wrong with it
 * @param outcome dead-lettered, a valid edge case that must become a sample, or silently ignored
 * @param reason the dead-letter reason ({@code freshet.dlq.reason}), or null unless dead-lettered
 * @param key Kafka key, may be null
 * @param value Kafka value, may be null (a tombstone)
 * @param at position in the stream: records are sent in order of this event time
 */
record HostileRecord(
        String topic,
        HostileCorpus.Kind kind,
        Outcome outcome,
        String reason,
        byte[] key,
        byte[] value,
        long at) {

    enum Outcome {
        /** Must land in the dead-letter topic with {@link #reason}. */
        DEAD_LETTER,
        /** Odd but valid (e.g. just under max_record_bytes): must produce exactly one sample. */
        SAMPLE,
        /** A duplicate or an unknown engagement type: dropped and counted, never an output. */
        IGNORED
    }
}
