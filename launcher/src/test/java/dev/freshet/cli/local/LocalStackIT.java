package dev.freshet.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.testing.ChildCli;
import dev.freshet.testing.FreePorts;
import dev.freshet.testing.LocalStackPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freshet local} end to end, as a user runs it: a child process with the whole stack, fed by
 * the simulator, watched over HTTP; stopped with SIGTERM (what Ctrl-C does, minus the terminal),
 * then run again on the same directory, where it continues.
 */
class LocalStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration FIRST_RUN = Duration.ofMinutes(6);

    /** Seconds-long windows and intervals, so versions come within a minute. */
    private static final String CONFIG =
            """
            pipeline:
              tasks: {click: 3s, save: 5s, hide: 5s, pay: 8s}
              allowed_lateness: 5s
              idle_timeout: 2s
              checkpoint_interval: 3s
              refit_interval: 2s
              bootstrap_samples: 500
            trainer:
              publish_every: 8s
              publish_every_samples: 100000
              probe_size: 256
            """;

    @TempDir Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void publishesGatedVersionsServesTheNewestStopsCleanlyAndContinuesOnTheSameDir()
            throws Exception {
        Path dir = tmp.resolve("stack");
        Path config = Files.writeString(tmp.resolve("fast.yaml"), CONFIG);
        int[] ports = LocalStackPorts.take();
        URI registry = URI.create("http://localhost:" + ports[LocalStackPorts.REGISTRY]);
        URI serving = URI.create("http://localhost:" + ports[LocalStackPorts.SERVING]);

        // First run: until stopped.
        Run first = start(dir, config, ports, null, "first");
        long newest = awaitVersions(first, registry, 2, FIRST_RUN).get(0).path("version").asLong();
        JsonNode versions = versions(registry);
        for (JsonNode v : versions) {
            assertThat(v.path("state").asText()).isEqualTo("ready");
            assertThat(v.path("passed_gates").asBoolean())
                    .as("version %s passed its gates", v.path("version"))
                    .isTrue();
        }
        awaitServed(first, serving, newest, Duration.ofMinutes(1));

        // The registry's API, page and detail answer.
        assertThat(get(registry.resolve("/")).body()).contains("<html");
        JsonNode detail =
                JSON.readTree(
                        get(registry.resolve("/api/v1/models/ranking/versions/" + newest)).body());
        assertThat(detail.path("gates").size()).isGreaterThanOrEqualTo(4);
        assertThat(detail.path("manifest").path("lineage").path("samples").path("trained").asLong())
                .isPositive();

        // SIGTERM stops every component; the process and any children end; ports are free.
        List<ProcessHandle> children = first.process.descendants().toList();
        // Through the handle: Process.destroy() would also close our end of its stdout.
        first.process.toHandle().destroy();
        assertThat(first.process.waitFor(3, TimeUnit.MINUTES))
                .as("stopped within 3 minutes; output:%n%s", first.output())
                .isTrue();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        first.awaitOutput(l -> l.startsWith("Stopped."), Duration.ofSeconds(10));
        assertThat(first.lines)
                .anyMatch(l -> l.startsWith("published  version 1 "))
                .anyMatch(l -> l.startsWith("serving    the replica now serves version"))
                .anyMatch(l -> l.contains("samples ") && l.contains("trainer "));
        for (int port : ports) {
            assertThat(FreePorts.isFree(port)).as("port %d free after the stop", port).isTrue();
        }
        long lastOfFirst = newestInBucket(dir);
        assertThat(lastOfFirst).isGreaterThanOrEqualTo(newest);

        // Second run on the same dir: continues the lineage, ends by itself.
        Run second = start(dir, config, ports, Duration.ofSeconds(45), "second");
        second.awaitOutput(l -> l.startsWith("registry   "), Duration.ofMinutes(3));
        List<JsonNode> after = awaitVersions(second, registry, (int) lastOfFirst + 1, FIRST_RUN);
        JsonNode next = versionDetail(registry, lastOfFirst + 1);
        assertThat(next.path("parent").asLong())
                .as("the first version of the second run descends from the first run's last")
                .isEqualTo(lastOfFirst);
        assertThat(after).isNotEmpty();
        assertThat(second.process.waitFor(3, TimeUnit.MINUTES))
                .as("ended after --duration; output:%n%s", second.output())
                .isTrue();
        assertThat(second.process.exitValue()).as(second.output()).isZero();
        assertThat(Files.readString(dir.resolve("freshet.log")))
                .contains("Restoring from checkpoint");
    }

    // ------------------------------------------------------------------ helpers

    private record Run(Process process, List<String> lines, Path stderr) {

        /** Stdout, stderr, the exit code and the end of the log, for a failure message. */
        String output() {
            StringBuilder s = new StringBuilder(String.join("\n", lines));
            try {
                s.append("\n--- stderr:\n").append(Files.readString(stderr));
                Path log = stderr.resolveSibling("stack/freshet.log");
                if (Files.exists(log)) {
                    List<String> all = Files.readAllLines(log);
                    s.append("\n--- end of freshet.log:\n")
                            .append(
                                    String.join(
                                            "\n",
                                            all.subList(Math.max(0, all.size() - 40), all.size())));
                }
            } catch (IOException e) {
                s.append(e);
            }
            if (!process.isAlive()) {
                s.append("\n--- exit code ").append(process.exitValue());
            }
            return s.toString();
        }

        void awaitOutput(Predicate<String> line, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (lines.stream().noneMatch(line)) {
                assertThat(System.nanoTime())
                        .as("waiting for a line; output:%n%s", output())
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private Run start(Path dir, Path config, int[] ports, Duration duration, String name)
            throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "local",
                                "--dir",
                                dir.toString(),
                                "--config",
                                config.toString(),
                                "--rate",
                                "300",
                                "--delay-scale",
                                "0.01"));
        args.addAll(LocalStackPorts.options(ports));
        if (duration != null) {
            args.add("--duration");
            args.add(duration.toSeconds() + "s");
        }
        Path stderr = tmp.resolve(name + ".stderr");
        Process process =
                ChildCli.builder(List.of("-Xmx3g"), args).redirectError(stderr.toFile()).start();
        started.add(process);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader out =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                for (String l = out.readLine(); l != null; l = out.readLine()) {
                                    lines.add(l);
                                }
                            } catch (IOException e) {
                                // the process ended
                            }
                        },
                        "local-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        return new Run(process, lines, stderr);
    }

    /** Waits until the newest version is at least {@code count}; newest first. */
    private static List<JsonNode> awaitVersions(Run run, URI registry, int count, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            assertThat(run.process.isAlive()).as("stack alive; output:%n%s", run.output()).isTrue();
            assertThat(System.nanoTime())
                    .as("waiting for version %d; output:%n%s", count, run.output())
                    .isLessThan(deadline);
            List<JsonNode> list = new ArrayList<>();
            try {
                HttpResponse<String> r =
                        HTTP.send(
                                HttpRequest.newBuilder(
                                                registry.resolve("/api/v1/models/ranking/versions"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                // 404 until the trainer's first version names the model.
                if (r.statusCode() == 200) {
                    JSON.readTree(r.body()).path("versions").forEach(list::add);
                }
            } catch (IOException e) {
                // not up yet
            }
            list.sort(
                    (a, b) -> Long.compare(b.path("version").asLong(), a.path("version").asLong()));
            if (!list.isEmpty() && list.get(0).path("version").asLong() >= count) {
                return list;
            }
            Thread.sleep(1_000);
        }
    }

    private static void awaitServed(Run run, URI serving, long version, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = JSON.readTree(get(serving.resolve("/status")).body());
            if (status.path("served_version").asLong() >= version) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("replica serving %d; status %s; output:%n%s", version, status, run.output())
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static JsonNode versions(URI registry) throws Exception {
        return JSON.readTree(get(registry.resolve("/api/v1/models/ranking/versions")).body())
                .path("versions");
    }

    private static JsonNode versionDetail(URI registry, long version) throws Exception {
        return JSON.readTree(
                get(registry.resolve("/api/v1/models/ranking/versions/" + version)).body());
    }

    /** The newest version in the bucket under the stack's directory (the registry is down). */
    private static long newestInBucket(Path dir) throws IOException {
        Path versions = dir.resolve("s3/buckets/freshet/models/ranking/versions");
        try (var list = Files.list(versions)) {
            return list.filter(p -> Files.exists(p.resolve("manifest.json")))
                    .mapToLong(p -> Long.parseLong(p.getFileName().toString()))
                    .max()
                    .orElseThrow();
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", uri, r.body()).isEqualTo(200);
        return r;
    }
}
