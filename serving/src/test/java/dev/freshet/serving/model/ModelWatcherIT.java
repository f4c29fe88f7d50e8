package dev.freshet.serving.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.features.event.EventLimits;
import dev.freshet.features.sample.Sample;
import dev.freshet.manifest.Manifest;
import dev.freshet.serving.RegistryFixture;
import dev.freshet.serving.TestModels;
import dev.freshet.serving.Waits;
import dev.freshet.serving.http.ServingMetrics;
import dev.freshet.serving.registry.RegistryClient;
import dev.freshet.serving.score.Scorer;
import dev.freshet.serving.score.Scores;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import dev.freshet.trainer.train.TrainingSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher against a real registry over a real S3Proxy, fed by the trainer's publisher: it
 * follows the alias, swaps versions while requests are being scored, and keeps the last good
 * version through every kind of bad one.
 */
@ExtendWith(S3ServerExtension.class)
class ModelWatcherIT {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir static Path models;
    @TempDir Path tmp;

    static TrainingSession first;
    static TrainingSession second;
    static final List<byte[]> IMPRESSIONS = TestModels.impressions(8, 3);

    @BeforeAll
    static void train() {
        first = TestModels.train(4, 1);
        second = TestModels.train(4, 2);
    }

    @AfterAll
    static void close() {
        first.close();
        second.close();
    }

    @Test
    void swapsToEveryGoodVersionAndKeepsTheLastGoodOneThroughBadOnes(S3Server s3) throws Exception {
        try (RegistryFixture registry = new RegistryFixture(s3, "swaps");
                ModelSlot slot = new ModelSlot()) {
            ServingMetrics metrics = new ServingMetrics(slot);
            WatcherSettings settings =
                    WatcherSettings.defaults(TestModels.MODEL, tmp.resolve("work"))
                            .withAlias("production")
                            .withTiming(
                                    Duration.ofSeconds(2),
                                    Duration.ofMillis(200),
                                    Duration.ofSeconds(2));
            try (ModelWatcher watcher =
                    new ModelWatcher(client(registry), settings, slot, metrics).start()) {
                Scorer scorer = new Scorer(slot, EventLimits.DEFAULTS, 100);

                promote(registry, good(first, "v1"));
                assertThat(watcher.awaitVersion(1, TIMEOUT)).isTrue();
                assertScoresOf(scorer.score(IMPRESSIONS.get(0)), 1, first);

                // From here on a client scores continuously; no request may fail.
                List<Throwable> errors = new CopyOnWriteArrayList<>();
                Set<Long> seen = ConcurrentHashMap.newKeySet();
                AtomicBoolean scoring = new AtomicBoolean(true);
                Thread client =
                        new Thread(
                                () -> {
                                    while (scoring.get()) {
                                        try {
                                            seen.add(scorer.score(IMPRESSIONS.get(1)).version());
                                        } catch (Throwable t) {
                                            errors.add(t);
                                        }
                                    }
                                });
                client.start();

                promote(registry, good(second, "v2"));
                assertThat(watcher.awaitVersion(2, TIMEOUT)).isTrue();
                assertScoresOf(scorer.score(IMPRESSIONS.get(0)), 2, second);

                // 3: a file overwritten in the store after its manifest was written.
                Path d3 = good(first, "v3");
                Manifest v3 = registry.publish(d3, TestModels.manifest(d3, 0));
                byte[] params =
                        registry.store
                                .get(registry.publisher.versionPrefix(3) + "parameters.safetensors")
                                .orElseThrow();
                params[params.length - 1] ^= 0x01;
                registry.store.put(
                        registry.publisher.versionPrefix(3) + "parameters.safetensors",
                        params,
                        "application/octet-stream");
                registry.register(v3);
                registry.promote("production", 3);
                awaitFailure(watcher, 3, FailureReason.CHECKSUM_MISMATCH);

                // 4: a manifest whose sha256 of a file is wrong.
                Path d4 = good(first, "v4");
                Manifest m4 = TestModels.manifest(d4, 0);
                List<Manifest.FileEntry> files = new ArrayList<>();
                for (Manifest.FileEntry f : m4.files()) {
                    files.add(
                            f.name().equals("trainer.json")
                                    ? new Manifest.FileEntry(f.name(), "0".repeat(64), f.bytes())
                                    : f);
                }
                promote(registry, d4, withFiles(m4, files));
                awaitFailure(watcher, 4, FailureReason.CHECKSUM_MISMATCH);

                // 5: a parameters file that is what the manifest says but is not a checkpoint.
                Path d5 = good(first, "v5");
                byte[] garbage = new byte[(int) Files.size(d5.resolve("parameters.safetensors"))];
                new java.util.SplittableRandom(5).nextBytes(garbage);
                Files.write(d5.resolve("parameters.safetensors"), garbage);
                promote(registry, d5);
                awaitFailure(watcher, 5, FailureReason.LOAD_ERROR);

                // 6: a model that loads but does not reproduce the trainer's probe predictions.
                Path d6 = good(first, "v6");
                Path p6 = d6.resolve("probe-predictions.bin");
                ByteBuffer b =
                        ByteBuffer.wrap(Files.readAllBytes(p6)).order(ByteOrder.LITTLE_ENDIAN);
                b.putFloat(0, b.getFloat(0) + 0.01f);
                Files.write(p6, b.array());
                promote(registry, d6);
                awaitFailure(watcher, 6, FailureReason.WARMUP_MISMATCH);

                // A bad version is tried again after its backoff, and still refused.
                Waits.until(
                        TIMEOUT,
                        () -> watcher.lastFailure().attempts() >= 2,
                        () -> "a retry of 6: " + watcher.lastFailure());
                assertThat(watcher.lastFailure().version()).isEqualTo(6);
                assertThat(watcher.servedVersion()).isEqualTo(2);

                promote(registry, good(first, "v7"));
                assertThat(watcher.awaitVersion(7, TIMEOUT)).isTrue();
                assertScoresOf(scorer.score(IMPRESSIONS.get(0)), 7, first);
                Waits.until(TIMEOUT, () -> seen.contains(7L), () -> "scores by 7: " + seen);

                scoring.set(false);
                client.join();
                assertThat(errors).isEmpty();
                assertThat(seen).containsExactlyInAnyOrder(1L, 2L, 7L);

                // Only the served version is kept on disk.
                awaitOneDirectory(watcher);
                assertThat(metrics.scrape())
                        .contains("freshet_serving_swaps_total 3.0")
                        .contains("freshet_serving_served_version 7.0")
                        .containsPattern(
                                "freshet_serving_load_failures_total\\{reason=\"checksum_mismatch\"} [2-9]")
                        .containsPattern(
                                "freshet_serving_load_failures_total\\{reason=\"load_error\"} [1-9]")
                        .containsPattern(
                                "freshet_serving_load_failures_total\\{reason=\"warmup_mismatch\"} [2-9]");
            }
        }
    }

    @Test
    void followsLatestByDefaultAndWaitsOutARegistryOutage(S3Server s3) throws Exception {
        try (RegistryFixture registry = new RegistryFixture(s3, "latest");
                ModelSlot slot = new ModelSlot()) {
            WatcherSettings settings =
                    WatcherSettings.defaults(TestModels.MODEL, tmp.resolve("work"))
                            .withTiming(
                                    Duration.ofSeconds(2),
                                    Duration.ofMillis(200),
                                    Duration.ofSeconds(1));
            assertThat(settings.alias()).isEqualTo("latest");
            try (ModelWatcher watcher =
                    new ModelWatcher(
                                    client(registry),
                                    settings,
                                    slot,
                                    new ModelWatcher.Listener() {})
                            .start()) {
                // Published without telling the registry: its refresh finds the version.
                registry.publish(good(first, "v1"), TestModels.manifest(tmp.resolve("v1"), 0));
                assertThat(watcher.awaitVersion(1, TIMEOUT)).isTrue();

                int port = registry.port();
                registry.stop();
                Waits.until(
                        TIMEOUT,
                        () ->
                                watcher.lastFailure() != null
                                        && watcher.lastFailure().reason()
                                                == FailureReason.REGISTRY_UNAVAILABLE,
                        () -> "an outage: " + watcher.lastFailure());
                assertThat(watcher.servedVersion()).isEqualTo(1);

                registry.start(port);
                registry.publish(good(second, "v2"), TestModels.manifest(tmp.resolve("v2"), 0));
                assertThat(watcher.awaitVersion(2, TIMEOUT)).isTrue();
                awaitOneDirectory(watcher);
            }
        }
    }

    private static RegistryClient client(RegistryFixture registry) {
        return new RegistryClient(registry.uri(), Duration.ofSeconds(5));
    }

    private Path good(TrainingSession session, String name) throws Exception {
        Path dir = tmp.resolve(name);
        TestModels.writeVersion(session, dir, 8);
        return dir;
    }

    private static void promote(RegistryFixture registry, Path dir) throws Exception {
        promote(registry, dir, TestModels.manifest(dir, 0));
    }

    private static void promote(RegistryFixture registry, Path dir, Manifest manifest)
            throws Exception {
        Manifest m = registry.publish(dir, manifest);
        registry.register(m);
        registry.promote("production", m.version());
    }

    private static Manifest withFiles(Manifest m, List<Manifest.FileEntry> files) {
        return new Manifest(
                m.format(),
                m.model(),
                m.version(),
                m.candidate(),
                m.createdAt(),
                m.parent(),
                files,
                m.lineage(),
                m.gates(),
                m.metrics(),
                m.hit());
    }

    /** The directories of replaced versions are deleted; only the served one stays. */
    private static void awaitOneDirectory(ModelWatcher watcher) {
        Waits.until(
                TIMEOUT,
                () -> {
                    try {
                        return watcher.versionDirectories().size() == 1;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                () -> "one version directory");
    }

    private static void awaitFailure(ModelWatcher watcher, long version, FailureReason reason) {
        Waits.until(
                TIMEOUT,
                () -> {
                    LoadFailure f = watcher.lastFailure();
                    return f != null && f.version() == version && f.reason() == reason;
                },
                () -> "failure " + reason + " of " + version + ", last: " + watcher.lastFailure());
        assertThat(watcher.servedVersion()).isEqualTo(2);
    }

    private static void assertScoresOf(Scores scores, long version, TrainingSession trainer) {
        assertThat(scores.version()).isEqualTo(version);
        Sample s = TestModels.pipelineSample(TestModels.parse(IMPRESSIONS.get(0)), Map.of());
        float[] expected = trainer.predict(TestModels.batch(List.of(s)));
        for (int t = 0; t < TestModels.TASKS.size(); t++) {
            assertThat(scores.impressions().get(0).scores().get(TestModels.TASKS.get(t)))
                    .isCloseTo(expected[t], within(1e-6));
        }
    }
}
