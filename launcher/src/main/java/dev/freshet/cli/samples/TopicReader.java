package dev.freshet.cli.samples;

import dev.freshet.cli.exception.CommandException;
import dev.freshet.features.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic without a consumer group: all partitions assigned, nothing committed, so
 * reading never disturbs the trainer's or anyone else's offsets. Only committed transactional
 * output is seen ({@code read_committed}), as the trainer sees it.
 */
public final class TopicReader implements AutoCloseable {

    private static final Duration MAX_POLL = Duration.ofMillis(500);
    private static final Duration METADATA_FLOOR = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String bootstrapServers;

    public TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Reading a topic must not create it.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-samples");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Hands records to {@code sink} until {@code max} were read or {@code timeout} (total wall
     * time, including waiting for the topic to appear) has passed.
     *
     * @return how many records were read
     */
    long read(
            String topic,
            boolean fromBeginning,
            long max,
            Duration timeout,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = awaitPartitions(topic, deadline, timeout);
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        long count = 0;
        while (count < max) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Duration wait = Duration.ofNanos(Math.min(left, MAX_POLL.toNanos()));
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
                sink.accept(r);
                if (++count >= max) {
                    break;
                }
            }
        }
        return count;
    }

    /**
     * Hands {@code sink} every record committed when this is called, in each partition's order,
     * then returns.
     *
     * @return how many records were read
     * @throws CommandException if {@code timeout} passes before the end is reached
     */
    public long readToEnd(
            String topic, Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = awaitPartitions(topic, deadline, timeout);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long count = 0;
        while (!partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
            if (System.nanoTime() >= deadline) {
                throw new CommandException(
                        "read "
                                + count
                                + " records of "
                                + topic
                                + " in "
                                + Durations.format(timeout)
                                + " without reaching its end");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(MAX_POLL)) {
                sink.accept(r);
                count++;
            }
        }
        return count;
    }

    /**
     * The pipeline creates its topics when it starts; a reader started alongside waits for them.
     */
    private List<TopicPartition> awaitPartitions(String topic, long deadline, Duration timeout) {
        while (true) {
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
            List<PartitionInfo> infos;
            try {
                // listTopics, not partitionsFor: the latter blocks until the timeout for a topic
                // that does not exist yet, so it could not tell "absent" from "unreachable". A
                // broker that answered the reachability check answers this in milliseconds; the
                // floor keeps a nearly spent --timeout from reporting it as unreachable.
                infos = consumer.listTopics(max(left, METADATA_FLOOR)).get(topic);
            } catch (TimeoutException e) {
                throw new CommandException(
                        "no answer from Kafka at "
                                + bootstrapServers
                                + " within "
                                + Durations.format(timeout));
            }
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            if (System.nanoTime() >= deadline) {
                throw new CommandException(
                        "topic '"
                                + topic
                                + "' does not exist on "
                                + bootstrapServers
                                + " (waited "
                                + Durations.format(timeout)
                                + ")");
            }
            try {
                Thread.sleep(Math.min(200, Math.max(1, left.toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException("interrupted while waiting for topic " + topic, e);
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
