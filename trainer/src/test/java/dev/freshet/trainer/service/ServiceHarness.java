package dev.freshet.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.store.ObjectStore;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.S3Server;
import dev.freshet.trainer.gate.GateConfig;
import dev.freshet.trainer.observe.TrainerMetrics;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One trainer service against the test's real Kafka broker and S3Proxy, on its own topics, bucket
 * and state directory, with small intervals so a test sees several candidates in seconds.
 */
final class ServiceHarness implements AutoCloseable {

    final String name;
    final KafkaBroker kafka;
    final S3Server s3;
    final Path stateDir;
    final ObjectStore store;
    final TrainerMetrics metrics = new TrainerMetrics();
    final SyntheticSamples.Data data;
    private TrainerService service;
    private Thread thread;

    ServiceHarness(String name, KafkaBroker kafka, S3Server s3, Path stateDir, int samples) {
        this.name = name;
        this.kafka = kafka;
        this.s3 = s3;
        this.stateDir = stateDir;
        kafka.createTopics(1, samplesTopic(), dlqTopic(), specTopic());
        s3.createBucket(name);
        this.store = TestStores.connect(s3, name);
        this.data =
                SyntheticSamples.generate(samples, name.hashCode(), SyntheticSamples.Shape.small());
        List<byte[][]> spec = new ArrayList<>();
        spec.add(
                new byte[][] {
                    "latest".getBytes(StandardCharsets.UTF_8), FeatureSpecJson.toBytes(data.spec())
                });
        kafka.send(specTopic(), spec);
    }

    String samplesTopic() {
        return name + "-samples";
    }

    String dlqTopic() {
        return name + "-dlq";
    }

    String specTopic() {
        return name + "-specs";
    }

    TrainerServiceConfig config(GateConfig gate, long publishEverySamples) {
        return config(gate, publishEverySamples, "");
    }

    /**
     * @param trainerKeys more {@code trainer:} keys, as a YAML flow mapping's entries after a comma
     */
    TrainerServiceConfig config(GateConfig gate, long publishEverySamples, String trainerKeys) {
        return TrainerConfigFile.parse(
                        """
                        trainer: {probe_size: 256, max_batch_wait: 500ms, publish_every: 2s%s}
                        model:
                          tasks: [{name: click}, {name: save}, {name: conversion}, {name: pay}]
                          mlp: [32]
                          optimizer: {dense_lr: 0.003, embedding_lr: 0.05}
                        """
                                .formatted(trainerKeys),
                        stateDir)
                .with(
                        name,
                        samplesTopic(),
                        dlqTopic(),
                        specTopic(),
                        256,
                        publishEverySamples,
                        gate);
    }

    static GateConfig gate(int replaySteps, int maxRejections) {
        GateConfig d = GateConfig.defaults();
        return new GateConfig(
                d.maxAbsParameter(),
                d.spikeSigmas(),
                d.spikeMinRelative(),
                10,
                replaySteps,
                d.replayTolerance(),
                0.5,
                0.5,
                2.0,
                d.minQualitySamples(),
                d.minQualityPositives(),
                0,
                maxRejections);
    }

    void produce(List<Sample> samples) {
        SampleCodec codec = new SampleCodec();
        List<byte[][]> records = new ArrayList<>();
        for (Sample s : samples) {
            records.add(
                    new byte[][] {
                        s.impressionId().getBytes(StandardCharsets.UTF_8), codec.encode(s)
                    });
        }
        kafka.send(samplesTopic(), records);
    }

    TrainerService start(TrainerServiceConfig config, TrainerService.Hooks hooks) throws Exception {
        service = new TrainerService(config, kafka.bootstrapServers(), store, metrics, hooks);
        thread = new Thread(service::run, "trainer-" + name);
        thread.start();
        await(service::ready, Duration.ofSeconds(60), "service ready");
        return service;
    }

    void stop() throws InterruptedException {
        if (service != null) {
            service.stop();
            thread.join(60_000);
            service.awaitPublished(Duration.ofSeconds(30));
            service.close();
            service = null;
        }
    }

    List<Manifest> manifests() {
        List<Manifest> out = new ArrayList<>();
        for (long v : service().publisher().versions()) {
            out.add(service().publisher().manifest(v).orElseThrow());
        }
        return out;
    }

    TrainerService service() {
        return service;
    }

    /** Every file a manifest lists is in the store with the checksum it states. */
    void assertValid(Manifest m, Path scratch) throws Exception {
        String prefix = "models/" + name + "/versions/" + m.version() + "/";
        for (Manifest.FileEntry f : m.files()) {
            Path local = scratch.resolve(m.version() + "-" + f.name());
            assertThat(store.download(prefix + f.name(), local)).as(f.name()).isTrue();
            assertThat(Checksums.sha256(local)).as(f.name()).isEqualTo(f.sha256());
            assertThat(Files.size(local)).isEqualTo(f.bytes());
        }
        Manifest.Counts c = m.lineage().samples();
        assertThat(c.trained() + c.quarantined() + c.rejected() + c.discarded())
                .isEqualTo(c.consumed());
        assertThat(m.files())
                .extracting(Manifest.FileEntry::name)
                .contains(
                        "parameters.safetensors",
                        "optimizer.safetensors",
                        "trainer.json",
                        "feature-spec.json",
                        "metrics.json");
    }

    static void await(BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.close();
            metrics.close();
        }
    }
}
