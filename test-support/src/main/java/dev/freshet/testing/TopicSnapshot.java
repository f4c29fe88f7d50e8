package dev.freshet.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Everything committed to a topic right now: read with read_committed up to its end offsets. */
public final class TopicSnapshot {

    private TopicSnapshot() {}

    /** Every record of {@code topic} committed when the call starts, in partition order. */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic) {
        Properties p = readCommitted(bootstrapServers);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = assignFromStart(consumer, topic);
            // With read_committed these are the last stable offsets: nothing open is counted.
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Assigns every partition of {@code topic} to {@code consumer}, positioned at the beginning (no
     * group membership, so reading starts at once); returns the partitions.
     */
    public static List<TopicPartition> assignFromStart(Consumer<?, ?> consumer, String topic) {
        List<TopicPartition> parts =
                consumer.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return parts;
    }

    /** A consumer's settings to read what is committed from the start, as a fresh group. */
    public static Properties readCommitted(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
