package dev.freshet.flink.time;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What one source subtask has read: when its last record arrived and the last offset per partition.
 * Shared by the watermark generators of that subtask's partitions, which all run on the subtask's
 * one thread.
 *
 * <p>A subtask is drained when it has produced nothing for a while <em>and</em> its partitions' end
 * offsets say there is nothing more to read. Silence alone is not enough: a subtask held back by
 * backpressure is silent too, with a backlog behind it.
 */
final class SourceActivity {

    /** How often a quiet subtask asks for end offsets. */
    private static final long PROBE_EVERY_MILLIS = 1_000;

    private final DrainProbe probe;
    private final Map<TopicPartition, Long> lastRead = new HashMap<>();
    private long lastRecordAt;
    private long nextProbeAt;
    private boolean drained;

    SourceActivity(long now, DrainProbe probe) {
        this.lastRecordAt = now;
        this.probe = probe;
    }

    /** A record (event or dead letter) was read at {@code now}. */
    void read(TopicPartition partition, long offset, long now) {
        if (partition != null) {
            lastRead.merge(partition, offset, Math::max);
        }
        lastRecordAt = now;
        drained = false;
    }

    /** Quiet for at least {@code quietAfter} and nothing left to read. */
    boolean drained(long now, long quietAfterMillis) {
        if (now - lastRecordAt < quietAfterMillis) {
            return false;
        }
        if (!drained && now >= nextProbeAt) {
            Boolean answer = probe.drained(Map.copyOf(lastRead));
            if (answer != null) {
                drained = answer;
                nextProbeAt = now + PROBE_EVERY_MILLIS;
            }
        }
        return drained;
    }
}
