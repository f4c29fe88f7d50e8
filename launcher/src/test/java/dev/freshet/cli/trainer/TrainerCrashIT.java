package dev.freshet.cli.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.manifest.Manifest;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.ChildCli;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import dev.freshet.trainer.publish.Publisher;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freshet trainer} as a real child process, killed with SIGKILL twice while it trains and
 * publishes, then restarted on the same state directory: the published lineage counts every sample
 * produced exactly once.
 */
@ExtendWith({KafkaBrokerExtension.class, S3ServerExtension.class})
class TrainerCrashIT {

    static final int SAMPLES = 6_000;

    @TempDir Path tmp;

    @Test
    void killNineAndRestartCountEverySampleExactlyOnce(KafkaBroker kafka, S3Server s3)
            throws Exception {
        kafka.createTopics(1, "crash-samples", "crash-dlq", "crash-specs");
        s3.createBucket("crash");
        SyntheticSamples.Data data =
                SyntheticSamples.generate(SAMPLES, 77, SyntheticSamples.Shape.small());
        List<byte[][]> spec = new ArrayList<>();
        spec.add(new byte[][] {bytes("latest"), FeatureSpecJson.toBytes(data.spec())});
        kafka.send("crash-specs", spec);
        Path config = tmp.resolve("freshet.yaml");
        Files.writeString(
                config,
                """
                trainer:
                  model_name: crash
                  samples_topic: crash-samples
                  dead_letter_topic: crash-dlq
                  spec_topic: crash-specs
                  batch_size: 256
                  publish_every_samples: 1000
                  publish_every: 2s
                  max_batch_wait: 500ms
                  probe_size: 256
                  gate: {replay_steps: 2, max_prediction_drift: 0.5, max_auc_drop: 0.5, max_log_loss_increase: 2.0}
                model:
                  tasks: [{name: click}, {name: save}, {name: conversion}, {name: pay}]
                  mlp: [32]
                """);
        try (S3ObjectStore store =
                new S3ObjectStore(
                        new S3Settings(
                                URI.create(s3.endpoint()),
                                "crash",
                                s3.region(),
                                s3.accessKey(),
                                s3.secretKey()))) {
            Publisher versions = new Publisher(store, "crash");
            produce(kafka, data.samples().subList(0, 2_000));

            Process first = start(kafka, s3, config, "first");
            awaitVersions(versions, 1, first, "first");
            produce(kafka, data.samples().subList(2_000, 4_000));
            first.destroyForcibly().waitFor();

            Process second = start(kafka, s3, config, "second");
            awaitVersions(versions, versions.versions().size() + 1, second, "second");
            produce(kafka, data.samples().subList(4_000, SAMPLES));
            second.destroyForcibly().waitFor();

            Process third = start(kafka, s3, config, "third");
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (consumed(versions) < SAMPLES && System.nanoTime() < deadline) {
                assertThat(third.isAlive()).as("trainer alive; log: %s", log("third")).isTrue();
                Thread.sleep(200);
            }
            third.destroy();
            third.waitFor();

            List<Manifest> manifests = new ArrayList<>();
            for (long v : versions.versions()) {
                manifests.add(versions.manifest(v).orElseThrow());
            }
            Manifest last = manifests.get(manifests.size() - 1);
            assertThat(last.lineage().samples().consumed())
                    .as("consumed; third log:%n%s", log("third"))
                    .isEqualTo(SAMPLES);
            assertThat(last.lineage().samples().trained()).isEqualTo(SAMPLES);
            assertThat(last.lineage().offsets()).isEqualTo(Map.of(0, (long) SAMPLES));
            // Each version counts only what its parent did not: summed, every sample once.
            assertThat(
                            manifests.stream()
                                    .mapToLong(m -> m.lineage().sinceParent().consumed())
                                    .sum())
                    .isEqualTo(SAMPLES);
            for (int i = 1; i < manifests.size(); i++) {
                assertThat(manifests.get(i).parent()).isEqualTo(manifests.get(i - 1).version());
            }
        }
    }

    private Process start(KafkaBroker kafka, S3Server s3, Path config, String name)
            throws IOException {
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-Dai.djl.offline=true",
                        "-cp",
                        ChildCli.classpath(),
                        "dev.freshet.cli.FreshetCli",
                        "trainer",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--s3-endpoint",
                        s3.endpoint(),
                        "--bucket",
                        "crash",
                        "--config",
                        config.toString(),
                        "--state-dir",
                        tmp.resolve("state").toString(),
                        "--metrics-port",
                        "0");
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("FRESHET_S3_ACCESS_KEY", s3.accessKey());
        pb.environment().put("FRESHET_S3_SECRET_KEY", s3.secretKey());
        pb.environment().put("MKL_CBWR", "AUTO,STRICT");
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        return pb.start();
    }

    private void awaitVersions(Publisher versions, int count, Process trainer, String name)
            throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (versions.versions().size() < count) {
            assertThat(trainer.isAlive()).as("trainer alive; log: %s", log(name)).isTrue();
            assertThat(System.nanoTime()).as("waiting for version %d", count).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long consumed(Publisher versions) {
        return versions.newest().map(m -> m.lineage().samples().consumed()).orElse(0L);
    }

    private static void produce(KafkaBroker kafka, List<Sample> samples) {
        SampleCodec codec = new SampleCodec();
        List<byte[][]> records = new ArrayList<>();
        for (Sample s : samples) {
            records.add(new byte[][] {bytes(s.impressionId()), codec.encode(s)});
        }
        kafka.send("crash-samples", records);
    }

    private String log(String name) {
        try {
            Path file = tmp.resolve(name + ".log");
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
