package dev.freshet.flink.it;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.pipeline.KafkaPipeline;
import dev.freshet.flink.pipeline.PipelineEnvironment;
import dev.freshet.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Runs the label-join job against a real broker and reads back what it committed. */
final class PipelineHarness {

    private final KafkaBroker kafka;
    private final PipelineConfig config;

    PipelineHarness(KafkaBroker kafka, PipelineConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    JobClient start(Optional<String> restoreFrom) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PipelineEnvironment.configuration(config, restoreFrom));
        KafkaPipeline.labelJoin(config).build(env);
        return env.executeAsync("label-join-it");
    }

    /**
     * Cancels the job and waits until it has stopped: {@code cancel()} only asks, and a job still
     * winding down must not overlap its successor (they share transactional ids).
     */
    static void stop(JobClient job) throws Exception {
        job.cancel().get();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!job.getJobStatus().get().isGloballyTerminalState()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job.getJobID() + " did not stop");
            }
            Thread.sleep(50);
        }
    }

    void send(Scenario scenario) {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (Scenario.Event e : scenario.impressions) {
                acks.add(producer.send(record(config.topics().impressions(), e)));
            }
            for (Scenario.Event e : scenario.engagements) {
                acks.add(producer.send(record(config.topics().engagements(), e)));
            }
            KafkaBroker.awaitAll(producer, acks);
        }
    }

    /** Committed samples, waiting up to {@code timeout} for {@code expected} of them. */
    List<Sample> samples(int expected, Duration timeout, Duration settle) {
        SampleCodec codec = new SampleCodec();
        List<Sample> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.readCommitted(config.topics().samples(), expected, timeout, settle)) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }

    List<ConsumerRecord<byte[], byte[]>> committed(
            String topic, int expected, Duration timeout, Duration settle) {
        return kafka.readCommitted(topic, expected, timeout, settle);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Scenario.Event e) {
        byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, key, e.value());
    }
}
