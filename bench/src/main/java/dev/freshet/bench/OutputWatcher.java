package dev.freshet.bench;

import dev.freshet.testing.TopicSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a job's output topic with {@code read_committed} while the job runs, and notes when the
 * last expected sample became visible. It only stores the bytes; decoding happens after timing.
 */
final class OutputWatcher implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final int expected;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Map<String, byte[]> values;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Runnable onDone = () -> {};
    private volatile RuntimeException failure;

    private volatile long firstAt;
    private volatile long doneAt;
    private volatile long maxRecordTimestamp;
    private volatile int duplicates;
    private volatile int flushSamples;
    private volatile int seen;
    private long[] timestamps;

    OutputWatcher(String bootstrapServers, String topic, int expected) {
        this.expected = expected;
        this.values = new HashMap<>(expected * 2);
        this.timestamps = new long[expected];
        this.consumer = consumer(bootstrapServers);
        TopicSnapshot.assignFromStart(consumer, topic);
        thread = new Thread(this::loop, "output-watcher-" + topic);
        thread.setDaemon(true);
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Runs {@code action} on the watcher thread the moment the last expected sample is seen. */
    OutputWatcher onDone(Runnable action) {
        this.onDone = action;
        return this;
    }

    OutputWatcher start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(50));
                if (records.isEmpty()) {
                    continue;
                }
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    accept(r, now);
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            done.countDown();
        } finally {
            consumer.close();
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r, long now) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        if (key.startsWith(EventGenerator.FLUSH_PREFIX)) {
            flushSamples++;
            return;
        }
        if (firstAt == 0) {
            firstAt = now;
        }
        maxRecordTimestamp = Math.max(maxRecordTimestamp, r.timestamp());
        if (values.putIfAbsent(key, r.value()) != null) {
            duplicates++;
            return;
        }
        timestamps[values.size() - 1] = r.timestamp();
        seen = values.size();
        if (seen == expected) {
            doneAt = now;
            onDone.run();
            done.countDown();
        }
    }

    /** True once every expected sample was seen; false on timeout. */
    boolean await(Duration timeout) throws InterruptedException {
        boolean ok = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (failure != null) {
            throw failure;
        }
        return ok;
    }

    long firstAt() {
        return firstAt;
    }

    long doneAt() {
        return doneAt;
    }

    long maxRecordTimestamp() {
        return maxRecordTimestamp;
    }

    /**
     * Kafka timestamp (when the sink wrote it) of the sample at quantile {@code q} of all expected
     * samples; call after {@link #stop()}.
     */
    long writtenAtQuantile(double q) {
        long[] sorted = java.util.Arrays.copyOf(timestamps, seen);
        java.util.Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }

    int duplicates() {
        return duplicates;
    }

    int flushSamples() {
        return flushSamples;
    }

    int seen() {
        return seen;
    }

    /** The samples by impression id; call after {@link #stop()}. */
    Map<String, byte[]> values() {
        return values;
    }

    /** Stops reading and waits for the reader thread; idempotent. */
    void stop() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
