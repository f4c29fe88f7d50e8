package dev.freshet.bench;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.flink.kafka.Outbound;
import dev.freshet.testing.TopicSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * What our job sent to {@code late-engagements} and the dead-letter topic, by reason, with one
 * example detail per reason.
 */
record SideOutputs(
        Map<String, Long> lateByReason,
        Map<String, Long> deadByReason,
        Map<String, String> deadExample) {

    static SideOutputs read(String bootstrapServers, String lateTopic, String deadLetterTopic) {
        Map<String, Long> late = new TreeMap<>();
        Map<String, Long> dead = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        readAll(
                bootstrapServers,
                lateTopic,
                r -> late.merge(header(r, Outbound.LATE_REASON_HEADER), 1L, Long::sum));
        readAll(
                bootstrapServers,
                deadLetterTopic,
                r -> {
                    String reason = header(r, DeadLetter.HEADER_REASON);
                    dead.merge(reason, 1L, Long::sum);
                    examples.putIfAbsent(reason, header(r, DeadLetter.HEADER_DETAIL));
                });
        return new SideOutputs(late, dead, examples);
    }

    long late() {
        return lateByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    long dead() {
        return deadByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        return "late-engagements "
                + lateByReason
                + ", dead letters "
                + deadByReason
                + (deadExample.isEmpty() ? "" : " e.g. " + deadExample);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Reads every committed record of {@code topic} as of now. */
    private static void readAll(
            String bootstrapServers,
            String topic,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> action) {
        try (KafkaConsumer<byte[], byte[]> c = OutputWatcher.consumer(bootstrapServers)) {
            List<TopicPartition> parts = TopicSnapshot.assignFromStart(c, topic);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(100)).forEach(action);
            }
        }
    }
}
