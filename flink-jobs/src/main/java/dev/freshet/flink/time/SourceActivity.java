package dev.freshet.flink.time;

/**
 * When any partition of one source subtask last produced an event. Shared by the watermark
 * generators of that subtask's partitions, which all run on the subtask's one thread.
 *
 * <p>A source reader that has fetched nothing from any of its partitions for a while is caught up:
 * a consumer with a backlog in any assigned partition keeps returning records. One partition going
 * quiet on its own says nothing; the consumer may just be busy with another.
 */
final class SourceActivity {

    private long lastEventAt;

    SourceActivity(long now) {
        this.lastEventAt = now;
    }

    void eventAt(long now) {
        lastEventAt = now;
    }

    long quietFor(long now) {
        return now - lastEventAt;
    }
}
