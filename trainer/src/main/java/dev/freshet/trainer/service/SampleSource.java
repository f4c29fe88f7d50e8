package dev.freshet.trainer.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code samples} topic, read_committed, from exactly the offsets a checkpoint recorded. No
 * consumer group: the checkpoint, not Kafka, owns the position, which is what makes a restarted
 * trainer count every sample once (a group's committed offsets would run ahead of the state that
 * learned from them).
 */
final class SampleSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SampleSource.class);

    /** One record, with where it came from. */
    record Consumed(int partition, long offset, byte[] key, byte[] value) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private List<TopicPartition> partitions = List.of();

    SampleSource(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "4096");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-trainer");
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
    }

    /**
     * Assigns every partition of the topic and seeks each to {@code offsets} (the next offset to
     * read), or to the beginning where the checkpoint has none. Waits until the topic exists.
     */
    void seek(Map<Integer, Long> offsets, java.util.function.BooleanSupplier running) {
        List<PartitionInfo> infos = List.of();
        while (running.getAsBoolean()) {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                break;
            }
            LOG.info("Waiting for topic {} to exist", topic);
        }
        if (infos == null || infos.isEmpty()) {
            return;
        }
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo i : infos) {
            tps.add(new TopicPartition(topic, i.partition()));
        }
        consumer.assign(tps);
        for (TopicPartition tp : tps) {
            Long next = offsets.get(tp.partition());
            if (next == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, next);
            }
        }
        this.partitions = tps;
        LOG.info("Reading {} ({} partitions) from {}", topic, tps.size(), offsets);
    }

    List<Consumed> poll(Duration timeout) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        List<Consumed> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            out.add(new Consumed(r.partition(), r.offset(), r.key(), r.value()));
        }
        return out;
    }

    /** Records between the read position and the end, summed over partitions. */
    long lag() {
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
        long lag = 0;
        for (TopicPartition tp : partitions) {
            lag += Math.max(0, ends.getOrDefault(tp, 0L) - consumer.position(tp));
        }
        return lag;
    }

    Map<Integer, Long> endOffsets() {
        Map<Integer, Long> out = new HashMap<>();
        consumer.endOffsets(partitions, Duration.ofSeconds(5))
                .forEach((tp, end) -> out.put(tp.partition(), end));
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
