package dev.freshet.simulator;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes to Kafka through one idempotent producer (acks=all), so a retried batch is neither lost
 * nor doubled and each partition keeps the order records were sent in. The simulator's own
 * duplicates are deliberate and distinct sends.
 */
public final class KafkaEventSink implements EventSink {

    /** How long a broker may be away before the simulator gives up. */
    static final Duration OUTAGE = Duration.ofMinutes(10);

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaEventSink(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A broker restart must pause the traffic, not end it: sends wait (blocking the simulator
        // once the buffer is full) for up to ten minutes instead of the client's one to two.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) OUTAGE.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) OUTAGE.toMillis());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "freshet-simulator");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(String topic, String key, byte[] value) {
        throwIfFailed();
        producer.send(
                new ProducerRecord<>(topic, key, value),
                (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    @Override
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException(
                    "writing to Kafka at " + bootstrapServers + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
