package dev.freshet.bench;

import dev.freshet.bench.EventGenerator.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes the generated backlog into the input topics before any job starts. */
final class InputLoader {

    private InputLoader() {}

    static void produce(
            String bootstrapServers,
            EventGenerator.Generated events,
            String impressions,
            String engagements) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            send(producer, events.impressions(), impressions, engagements);
            send(producer, events.engagements(), impressions, engagements);
            producer.flush();
            // Last, so they follow every real event in their partition.
            send(producer, events.flush(), impressions, engagements);
            producer.flush();
        }
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            List<Event> events,
            String impressions,
            String engagements) {
        for (Event e : events) {
            String topic = e.topic().equals(BenchPipeline.IMPRESSIONS) ? impressions : engagements;
            producer.send(
                    new ProducerRecord<>(
                            topic,
                            e.partition(),
                            e.timestamp(),
                            e.key().getBytes(StandardCharsets.UTF_8),
                            e.value()),
                    (md, ex) -> {
                        if (ex != null) {
                            throw new IllegalStateException("cannot produce input", ex);
                        }
                    });
        }
    }
}
