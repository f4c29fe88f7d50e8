package dev.freshet.flink.time;

import java.io.Serializable;
import org.apache.kafka.common.TopicPartition;

/** Where a source record came from, so the source can tell how far it has read. */
public interface RecordPosition<T> extends Serializable {

    TopicPartition partition(T record);

    long offset(T record);
}
