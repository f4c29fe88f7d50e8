package dev.freshet.bench.registry;

import dev.freshet.bench.report.Figure;
import dev.freshet.bench.report.FigureSet;
import dev.freshet.manifest.Manifest;
import dev.freshet.serving.RegistryFixture;
import dev.freshet.serving.TestModels;
import dev.freshet.serving.model.ModelSlot;
import dev.freshet.serving.model.ModelWatcher;
import dev.freshet.serving.model.WatcherSettings;
import dev.freshet.serving.registry.RegistryClient;
import dev.freshet.testing.S3Server;
import dev.freshet.trainer.train.TrainingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Publish -> replica swapped: a trained version is published as the trainer does (files, then the
 * manifest, then the register call) while a serving replica's watcher follows {@code latest};
 * measured until the watcher serves it (long-poll answered, files downloaded from presigned URLs,
 * sha256 verified, loaded with DJL, probe set re-predicted, swapped). The upload alone is shown
 * beside it. Appends to bench/target/registry-bench/results.md.
 */
public final class SwapBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path tmp = Files.createTempDirectory("freshet-swap-bench");
        double[] upload = new double[n];
        double[] swapped = new double[n];
        try (S3Server s3 = S3Server.startOnFreePort();
                RegistryFixture registry = new RegistryFixture(s3, "swap-bench");
                ModelSlot slot = new ModelSlot();
                TrainingSession session = TestModels.train(4, 1)) {
            Path dir = tmp.resolve("version");
            TestModels.writeVersion(session, dir, 64);
            WatcherSettings settings =
                    WatcherSettings.defaults(TestModels.MODEL, tmp.resolve("work"));
            try (ModelWatcher watcher =
                    new ModelWatcher(
                                    new RegistryClient(registry.uri(), Duration.ofSeconds(10)),
                                    settings,
                                    slot,
                                    new ModelWatcher.Listener() {})
                            .start()) {
                for (int i = -2; i < n; i++) { // two warm-up swaps
                    long t0 = System.nanoTime();
                    Manifest m = registry.publish(dir, TestModels.manifest(dir, 0));
                    long t1 = System.nanoTime();
                    registry.register(m);
                    if (!watcher.awaitVersion(m.version(), Duration.ofMinutes(2))) {
                        throw new IllegalStateException(
                                "replica never served "
                                        + m.version()
                                        + ": "
                                        + watcher.lastFailure());
                    }
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        upload[i] = (t1 - t0) / 1e6;
                        swapped[i] = (t2 - t1) / 1e6;
                    }
                }
            }
        }
        long bytes;
        try (var files = Files.list(tmp.resolve("version"))) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        Arrays.sort(upload);
        Arrays.sort(swapped);
        String md =
                String.format(
                        "%n### Publish -> replica swapped (%d versions of %,d bytes)%n%n"
                                + "| step | p50 ms | max ms |%n| --- | ---: | ---: |%n"
                                + "| trainer uploads files + manifest (conditional PUTs) | %.1f | %.1f |%n"
                                + "| manifest written -> replica serves it (register, long-poll, download, sha256, load, probe warm-up, swap) | %.1f | %.1f |%n",
                        n, bytes, upload[n / 2], upload[n - 1], swapped[n / 2], swapped[n - 1]);
        Path out = Path.of("bench/target/registry-bench/results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(
                out,
                md,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        System.out.println(md);
        FigureSet.of(
                        "swap",
                        "Publish → replica swap",
                        "bench/run-registry-bench.sh (second part)",
                        List.of(
                                Figure.of(
                                        "swap.p50",
                                        "Serving replica swap",
                                        "manifest written → replica serves it, p50 ms",
                                        swapped[n / 2],
                                        "ms",
                                        "trainer's upload of the same version, p50",
                                        upload[n / 2],
                                        Double.NaN,
                                        true,
                                        String.format(
                                                java.util.Locale.ROOT,
                                                "%d versions of %,d bytes; max %.0f ms",
                                                n,
                                                bytes,
                                                swapped[n - 1]))),
                        List.of())
                .writeTo(Path.of("bench/target/swap-bench"));
    }
}
