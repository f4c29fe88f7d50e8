package dev.freshet.flink.kafka;

import dev.freshet.flink.time.RecordPosition;
import org.apache.kafka.common.TopicPartition;

/** The Kafka position of a parsed record, valid or not: both were read. */
public final class ParsedPosition<T> implements RecordPosition<Parsed<T>> {

    private static final long serialVersionUID = 1L;

    @Override
    public TopicPartition partition(Parsed<T> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    @Override
    public long offset(Parsed<T> record) {
        return record.offset();
    }
}
