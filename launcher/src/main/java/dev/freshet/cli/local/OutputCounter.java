package dev.freshet.cli.local;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.flink.config.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the pipeline's committed output (read_committed, from the beginning, so a restarted stack
 * shows totals): samples, those with a positive label, dead letters and late engagements.
 */
final class OutputCounter implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    /** The pipeline's output so far. */
    record Counts(long samples, long positives, long deadLetters, long lateEngagements) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final SampleCodec codec = new SampleCodec();
    private final Thread thread;

    private volatile long samples;
    private volatile long positives;
    private volatile long deadLetters;
    private volatile long lateEngagements;

    OutputCounter(String bootstrapServers, Topics topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "freshet-local-progress-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.thread = new Thread(this::run, "freshet-local-output");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Counts counts() {
        return new Counts(samples, positives, deadLetters, lateEngagements);
    }

    private void run() {
        try {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic :
                    List.of(topics.samples(), topics.deadLetters(), topics.lateEngagements())) {
                consumer.partitionsFor(topic)
                        .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    count(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        if (r.topic().equals(topics.samples())) {
            samples++;
            try {
                Sample s = codec.decode(r.value());
                if (s.labels().values().stream().anyMatch(v -> v == 1)) {
                    positives++;
                }
            } catch (RuntimeException e) {
                // counted as a sample; `freshet samples` shows what is wrong with it
            }
        } else if (r.topic().equals(topics.deadLetters())) {
            deadLetters++;
        } else {
            lateEngagements++;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
