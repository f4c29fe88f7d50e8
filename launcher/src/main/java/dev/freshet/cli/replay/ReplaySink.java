package dev.freshet.cli.replay;

import dev.freshet.cli.exception.CommandException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes replay records through one idempotent producer. Idempotence with at most five requests in
 * flight keeps each partition in file order even when a request is retried.
 */
final class ReplaySink implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    ReplaySink(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "freshet-replay");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends asynchronously; stops with the first failure the broker reported. */
    void send(ReplayRecord r) {
        throwIfFailed();
        producer.send(
                new ProducerRecord<>(r.topic(), r.key(), r.value()),
                (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acknowledged.merge(r.topic(), 1L, Long::sum);
                    }
                });
    }

    /** Waits for every record to be acknowledged; returns counts per topic. */
    Map<String, Long> flush() {
        producer.flush();
        throwIfFailed();
        return new TreeMap<>(acknowledged);
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new CommandException(
                    "writing to Kafka at "
                            + bootstrapServers
                            + " failed after "
                            + acknowledged.values().stream().mapToLong(Long::longValue).sum()
                            + " records: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
