package dev.freshet.trainer.service;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends samples the trainer will not learn from to the dead-letter topic: the original record
 * bytes, with the same {@code freshet.dlq.*} headers the pipeline uses and the reason. At least
 * once (a crash between sending and the next checkpoint sends them again on replay).
 */
final class Quarantine implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String sourceTopic;

    Quarantine(String bootstrapServers, String topic, String sourceTopic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "freshet-trainer-dlq");
        this.producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.sourceTopic = sourceTopic;
    }

    void send(List<SampleSource.Consumed> records, RejectReason reason, String detail) {
        for (SampleSource.Consumed r : records) {
            ProducerRecord<byte[], byte[]> out =
                    new ProducerRecord<>(topic, null, r.key(), r.value());
            out.headers().add(DeadLetter.HEADER_REASON, utf8(reason.wireName()));
            out.headers().add(DeadLetter.HEADER_DETAIL, utf8(detail));
            out.headers().add(DeadLetter.HEADER_TOPIC, utf8(sourceTopic));
            out.headers().add(DeadLetter.HEADER_PARTITION, utf8(Integer.toString(r.partition())));
            out.headers().add(DeadLetter.HEADER_OFFSET, utf8(Long.toString(r.offset())));
            producer.send(out);
        }
    }

    void flush() {
        producer.flush();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
