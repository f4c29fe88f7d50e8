package dev.freshet.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.sample.Sample;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.gate.GateConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer service end to end against a real Kafka broker and a real S3 server (S3Proxy), with
 * real DJL/PyTorch: versions with valid manifests, the stability gate's verdicts, outages and
 * restarts.
 */
@ExtendWith({KafkaBrokerExtension.class, S3ServerExtension.class})
class TrainerServiceIT {

    @Test
    void publishesVersionsWithValidManifestsAndCompleteLineage(
            KafkaBroker kafka, S3Server s3, @TempDir Path dir) throws Exception {
        try (ServiceHarness h =
                new ServiceHarness("publish", kafka, s3, dir.resolve("state"), 6_000)) {
            h.produce(h.data.samples());
            h.start(h.config(ServiceHarness.gate(3, 3), 2_000), TrainerService.Hooks.NONE);
            ServiceHarness.await(
                    () -> consumed(h) == 6_000,
                    Duration.ofSeconds(120),
                    "all samples in a version");
            List<Manifest> versions = h.manifests();
            assertThat(versions).hasSizeGreaterThanOrEqualTo(2);
            for (Manifest m : versions) {
                h.assertValid(m, dir);
                assertThat(m.passed()).isTrue();
                assertThat(m.training()).isEqualTo(new Manifest.Training(256, null));
                assertThat(m.gates())
                        .extracting(c -> c.name())
                        .containsExactly(
                                "finite", "reproducibility", "prediction_drift", "quality");
            }
            Manifest last = versions.get(versions.size() - 1);
            assertThat(last.lineage().samples().trained()).isEqualTo(6_000);
            assertThat(last.lineage().offsets()).containsEntry(0, 6_000L);
            assertThat(last.lineage().specVersion()).isEqualTo(h.data.spec().version());
            assertThat(last.parent()).isEqualTo(versions.get(versions.size() - 2).version());
            // Versions are immutable: nobody can write a manifest over an existing one.
            assertThat(
                            h.store.putIfAbsent(
                                    "models/publish/versions/" + last.version() + "/manifest.json",
                                    new byte[] {1},
                                    "application/json"))
                    .isFalse();
            assertThat((double) versions.get(1).gates().get(0).inputs().get("max_gradient_norm"))
                    .isPositive()
                    .isFinite();
            // The replay from the parent checkpoint reproduced the state bit for bit.
            assertThat(versions.get(1).gates().get(1).inputs())
                    .containsEntry("bit_identical", true);
        }
    }

    @Test
    void aNanBatchIsQuarantinedAndTrainingGoesOn(KafkaBroker kafka, S3Server s3, @TempDir Path dir)
            throws Exception {
        try (ServiceHarness h = new ServiceHarness("nan", kafka, s3, dir.resolve("state"), 4_096)) {
            List<Sample> samples = new ArrayList<>(h.data.samples());
            // One whole batch (samples 1024..1279) with absurd weights: its loss overflows.
            for (int i = 1_024; i < 1_280; i++) {
                samples.set(i, samples.get(i).withWeight(3e38f));
            }
            h.produce(samples);
            // And one record that is not a sample at all.
            List<byte[][]> garbage = new ArrayList<>();
            garbage.add(new byte[][] {null, "{not avro".getBytes(StandardCharsets.UTF_8)});
            kafka.send(h.samplesTopic(), garbage);
            h.start(h.config(ServiceHarness.gate(2, 3), 1_024), TrainerService.Hooks.NONE);
            ServiceHarness.await(
                    () -> consumed(h) == 4_097, Duration.ofSeconds(120), "all records");
            Manifest last = h.manifests().get(h.manifests().size() - 1);
            assertThat(last.lineage().samples().quarantined()).isEqualTo(256);
            assertThat(last.lineage().samples().rejected()).isEqualTo(1);
            assertThat(last.lineage().samples().trained()).isEqualTo(4_096 - 256);
            assertThat(last.lineage().offsets()).containsEntry(0, 4_097L);
            assertThat(last.gates().get(0).verdict().name()).isEqualTo("PASS");
            List<ConsumerRecord<byte[], byte[]>> dlq =
                    kafka.readCommitted(
                            h.dlqTopic(), 257, Duration.ofSeconds(20), Duration.ofSeconds(1));
            assertThat(dlq)
                    .extracting(r -> header(r, DeadLetter.HEADER_REASON))
                    .containsOnly("non_finite_loss", "unreadable_sample")
                    .filteredOn("unreadable_sample"::equals)
                    .hasSize(1);
            assertThat(dlq).hasSize(257);
        }
    }

    @Test
    void aLabelFlipBurstIsDetectedAsASpikeAndQuarantined(
            KafkaBroker kafka, S3Server s3, @TempDir Path dir) throws Exception {
        try (ServiceHarness h =
                new ServiceHarness("spike", kafka, s3, dir.resolve("state"), 8_192)) {
            List<Sample> samples = new ArrayList<>(h.data.samples());
            for (int i = 6_144; i < 6_656; i++) {
                samples.set(i, flipped(samples.get(i)));
            }
            h.produce(samples);
            h.start(h.config(ServiceHarness.gate(2, 3), 4_096), TrainerService.Hooks.NONE);
            ServiceHarness.await(
                    () -> consumed(h) == 8_192, Duration.ofSeconds(120), "all samples");
            Manifest last = h.manifests().get(h.manifests().size() - 1);
            assertThat(last.lineage().samples().quarantined()).isEqualTo(512);
            List<ConsumerRecord<byte[], byte[]>> dlq =
                    kafka.readCommitted(
                            h.dlqTopic(), 512, Duration.ofSeconds(20), Duration.ofSeconds(1));
            assertThat(dlq).hasSize(512);
            assertThat(header(dlq.get(0), DeadLetter.HEADER_REASON)).isEqualTo("loss_spike");
            assertThat(header(dlq.get(0), DeadLetter.HEADER_OFFSET)).isEqualTo("6144");
        }
    }

    @Test
    void aPerturbedReplayFailsTheReproducibilityGateAndStopsPublishing(
            KafkaBroker kafka, S3Server s3, @TempDir Path dir) throws Exception {
        try (ServiceHarness h =
                new ServiceHarness("drift", kafka, s3, dir.resolve("state"), 4_096)) {
            h.produce(h.data.samples());
            TrainerService.Hooks perturbed = new TrainerService.Hooks(TrainerServiceIT::flipLabels);
            TrainerService service = h.start(h.config(ServiceHarness.gate(2, 2), 1_024), perturbed);
            ServiceHarness.await(service::publishingHalted, Duration.ofSeconds(120), "halt");
            assertThat(h.manifests()).isEmpty();
            List<String> rejected = h.store.list("models/drift/rejected/");
            assertThat(rejected).hasSizeGreaterThanOrEqualTo(2);
            Manifest m = ManifestJson.parse(h.store.get(rejected.get(0)).orElseThrow());
            assertThat(m.passed()).isFalse();
            assertThat(m.gates().get(1).name()).isEqualTo("reproducibility");
            assertThat(m.gates().get(1).verdict().name()).isEqualTo("FAIL");
            assertThat(h.metrics.scrape()).contains("freshet_trainer_publishing_halted 1.0");
        }
    }

    @Test
    void aStateBeyondTheBoundsIsRolledBackAndNeverResumedFrom(
            KafkaBroker kafka, S3Server s3, @TempDir Path dir) throws Exception {
        try (ServiceHarness h =
                new ServiceHarness("bounds", kafka, s3, dir.resolve("state"), 2_048)) {
            h.produce(h.data.samples());
            GateConfig g = ServiceHarness.gate(2, 1);
            // A bound the initial weights respect (the largest is sqrt(3/16) = 0.433, a table row)
            // and trained ones soon exceed: the finite check fails and forces a rollback.
            GateConfig tight =
                    new GateConfig(
                            0.45,
                            g.spikeSigmas(),
                            g.spikeMinRelative(),
                            g.spikeWarmupSteps(),
                            g.replaySteps(),
                            g.replayTolerance(),
                            g.maxPredictionDrift(),
                            g.maxAucDrop(),
                            g.maxLogLossIncrease(),
                            g.minQualitySamples(),
                            g.minQualityPositives(),
                            g.minTrainedSamples(),
                            g.maxConsecutiveRejections());
            TrainerService service = h.start(h.config(tight, 1_024), TrainerService.Hooks.NONE);
            ServiceHarness.await(service::publishingHalted, Duration.ofSeconds(120), "halt");
            h.stop();
            assertThat(h.store.list("models/bounds/versions/")).isEmpty();
            LocalState local = new LocalState(dir.resolve("state"));
            Position newest = local.position(local.newest().orElseThrow());
            // The newest local checkpoint is the rolled-back state: nothing it learned from was
            // kept, every consumed sample is accounted for as discarded.
            assertThat(newest.counts().discarded()).isPositive();
            assertThat(newest.counts().trained() + newest.counts().discarded())
                    .isEqualTo(newest.counts().consumed());
        }
    }

    @Test
    void anObjectStoreOutageDelaysPublishingAndLosesNothing(
            KafkaBroker kafka, S3Server s3Shared, @TempDir Path dir) throws Exception {
        try (S3Server s3 = S3Server.startOnFreePort();
                ServiceHarness h =
                        new ServiceHarness("outage", kafka, s3, dir.resolve("state"), 4_096)) {
            h.start(h.config(ServiceHarness.gate(2, 3), 1_024), TrainerService.Hooks.NONE);
            s3.stop();
            h.produce(h.data.samples());
            Thread.sleep(3_000);
            s3.start();
            ServiceHarness.await(
                    () -> consumed(h) == 4_096, Duration.ofSeconds(120), "publish after recovery");
            Manifest last = h.manifests().get(h.manifests().size() - 1);
            assertThat(last.lineage().samples().trained()).isEqualTo(4_096);
            assertThat(h.metrics.scrape())
                    .containsPattern("freshet_trainer_publish_failures_total [1-9]");
        }
    }

    @Test
    void aRestartResumesFromTheCheckpointAndCountsEverySampleOnce(
            KafkaBroker kafka, S3Server s3, @TempDir Path dir) throws Exception {
        try (ServiceHarness h =
                new ServiceHarness("restart", kafka, s3, dir.resolve("state"), 6_000)) {
            // A partial upload left by a killed trainer must never become a version.
            h.store.put(
                    "models/restart/versions/1/parameters.safetensors",
                    new byte[] {1, 2},
                    "application/octet-stream");
            h.produce(h.data.samples().subList(0, 3_000));
            h.start(h.config(ServiceHarness.gate(2, 3), 1_000), TrainerService.Hooks.NONE);
            ServiceHarness.await(() -> consumed(h) == 3_000, Duration.ofSeconds(120), "first half");
            h.stop();
            h.produce(h.data.samples().subList(3_000, 6_000));
            h.start(h.config(ServiceHarness.gate(2, 3), 1_000), TrainerService.Hooks.NONE);
            ServiceHarness.await(
                    () -> consumed(h) == 6_000, Duration.ofSeconds(120), "second half");
            List<Manifest> versions = h.manifests();
            assertThat(versions.get(0).version()).isEqualTo(2);
            Manifest last = versions.get(versions.size() - 1);
            assertThat(last.lineage().samples().trained()).isEqualTo(6_000);
            long sinceParents =
                    versions.stream().mapToLong(m -> m.lineage().sinceParent().trained()).sum();
            assertThat(sinceParents).isEqualTo(6_000);
        }
    }

    @Test
    void aMemoryBudgetPicksTheBatchSizeOnStartAndOnResumeAndTheManifestSaysSo(
            KafkaBroker kafka, S3Server s3, @TempDir Path dir) throws Exception {
        try (ServiceHarness h =
                new ServiceHarness("budget", kafka, s3, dir.resolve("state"), 3_000)) {
            // Most of the machine: whatever else this JVM holds, a small model fits.
            TrainerServiceConfig config =
                    h.config(ServiceHarness.gate(2, 3), 1_000, ", memory_budget: 0.9");
            h.produce(h.data.samples().subList(0, 2_000));
            h.start(config, TrainerService.Hooks.NONE);
            ServiceHarness.await(() -> consumed(h) == 2_000, Duration.ofSeconds(120), "fresh");
            h.stop();
            h.produce(h.data.samples().subList(2_000, 3_000));
            h.start(config, TrainerService.Hooks.NONE);
            ServiceHarness.await(() -> consumed(h) == 3_000, Duration.ofSeconds(120), "resumed");

            List<Manifest> versions = h.manifests();
            assertThat(versions).hasSizeGreaterThanOrEqualTo(2);
            for (Manifest m : versions) {
                Manifest.Training training = m.training();
                Manifest.MemoryBudget budget = training.memoryBudget();
                assertThat(training.batchSize()).isBetween(16, 256);
                assertThat(budget.fraction()).isEqualTo(0.9);
                assertThat(budget.budgetBytes())
                        .isEqualTo((long) (0.9 * budget.deviceBytes()))
                        .isGreaterThanOrEqualTo(budget.peakBytes());
                assertThat(budget.probes())
                        .filteredOn(Manifest.Probe::fits)
                        .last()
                        .extracting(Manifest.Probe::batchSize)
                        .isEqualTo(training.batchSize());
                assertThat(budget.probes().get(0).batchSize()).isEqualTo(16);
            }
            assertThat(versions.get(versions.size() - 1).lineage().samples().trained())
                    .isEqualTo(3_000);
        }
    }

    static long consumed(ServiceHarness h) {
        try {
            List<Manifest> m = h.service() == null ? List.of() : h.manifests();
            return m.isEmpty() ? 0 : m.get(m.size() - 1).lineage().samples().consumed();
        } catch (dev.freshet.store.ObjectStoreException e) {
            return -1; // the store is down; ask again
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static Batch flipLabels(Batch b) {
        float[] labels = b.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = 1 - labels[i];
        }
        return new Batch(
                b.size(),
                b.requestIds(),
                b.eventTimes(),
                b.dense(),
                b.missing(),
                b.bagOffsets(),
                b.bagIds(),
                b.embeddings(),
                labels,
                b.labelMask(),
                b.weights());
    }

    static Sample flipped(Sample s) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        s.labels().forEach((k, v) -> labels.put(k, 1 - v));
        return s.withLabels(labels);
    }
}
