package dev.freshet.trainer.service;

import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The feature specs the pipeline publishes on its compacted topic (key {@code latest} and key =
 * version). Read from the beginning to the end whenever the trainer meets a version it does not
 * know; the topic is small.
 */
final class SpecSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpecSource.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<String, FeatureSpec> byVersion = new HashMap<>();
    private FeatureSpec latest;

    SpecSource(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-trainer-specs");
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
    }

    Optional<FeatureSpec> latest() {
        refresh();
        return Optional.ofNullable(latest);
    }

    Optional<FeatureSpec> version(String version) {
        if (!byVersion.containsKey(version)) {
            refresh();
        }
        return Optional.ofNullable(byVersion.get(version));
    }

    /** Reads the whole topic again. */
    void refresh() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos == null || infos.isEmpty()) {
            return;
        }
        List<TopicPartition> tps =
                infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() == null || r.key() == null) {
                    continue;
                }
                try {
                    FeatureSpec spec = FeatureSpecJson.fromBytes(r.value());
                    byVersion.put(spec.version(), spec);
                    if ("latest".equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        latest = spec;
                    }
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Unreadable feature spec at offset {}: {}", r.offset(), e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
