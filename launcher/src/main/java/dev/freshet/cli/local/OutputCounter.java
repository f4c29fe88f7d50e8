package dev.freshet.cli.local;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.flink.config.Topics;
import java.io.PrintWriter;
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
 * Follows the pipeline's committed output and prints a one-line summary whenever it changes: what a
 * person watching {@code freshet local} wants to know is that samples are flowing and whether
 * anything is being set aside.
 */
final class ProgressReporter implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PRINT_EVERY = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final PrintWriter out;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final SampleCodec codec = new SampleCodec();
    private final Thread thread;

    private long samples;
    private long positives;
    private long deadLetters;
    private long lateEngagements;

    ProgressReporter(String bootstrapServers, Topics topics, PrintWriter out) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "freshet-local-progress-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.out = out;
        this.thread = new Thread(this::run, "freshet-local-progress");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic :
                List.of(topics.samples(), topics.deadLetters(), topics.lateEngagements())) {
            consumer.partitionsFor(topic)
                    .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        String last = "";
        long lastPrint = 0;
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    count(r);
                }
                String line = summary();
                long now = System.nanoTime();
                if (!line.equals(last) && now - lastPrint >= PRINT_EVERY.toNanos()) {
                    out.println(line);
                    out.flush();
                    last = line;
                    lastPrint = now;
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
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

    String summary() {
        return String.format(
                "samples=%d (with a positive label: %d)  dead letters=%d  late engagements=%d",
                samples, positives, deadLetters, lateEngagements);
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
