package dev.freshet.flink.time;

import java.io.Serializable;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells a source that has gone quiet whether it has read everything there is, or is merely blocked
 * (backpressure, a long checkpoint, GC) with a backlog still waiting. Only a drained source may
 * move its watermark with the wall clock.
 */
public interface DrainProbe extends Serializable {

    /**
     * Never blocks: starts or continues a lookup of the partitions' end offsets.
     *
     * @param lastRead the offset of the last record read from each partition
     * @return {@code null} while the answer is not known yet, else whether every partition's end is
     *     at the last record read (allowing one offset for a transaction's commit marker)
     */
    Boolean drained(Map<TopicPartition, Long> lastRead);
}
