package dev.freshet.bench.registry;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.registry.RegistryConfig;
import dev.freshet.registry.RegistryServer;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.S3Server;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The registry's alias lookup under concurrent load next to a bare JDK HttpServer answering the
 * same bytes on the same thread pool (the machine's ceiling for this server stack), same client,
 * same run; then publish -> long-poll answered latency, with and without the trainer's register
 * call. Writes bench/target/registry-bench/results.md.
 *
 * <pre>
 * bench/run-registry-bench.sh [workers=16] [seconds=8] [rounds=2] [publishes=15]
 * </pre>
 */
public final class RegistryBenchmark {

    private static final String MODEL = "ctr";
    private static final String TOKEN = "bench-token";

    public static void main(String[] args) throws Exception {
        // Both servers run with TCP_NODELAY, as the registry sets it (see RegistryServer).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int publishes = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        double rate = Double.parseDouble(System.getProperty("freshet.bench.rate", "5000"));
        StringBuilder md = new StringBuilder();
        Measured measured =
                new Measured(
                        new ArrayList<>(),
                        new ArrayList<>(),
                        new ArrayList<>(),
                        new ArrayList<>(),
                        new double[2]);
        try (S3Server s3 = S3Server.startOnFreePort();
                S3ObjectStore store =
                        new S3ObjectStore(
                                new S3Settings(
                                        URI.create(s3.endpoint()),
                                        "models",
                                        s3.region(),
                                        s3.accessKey(),
                                        s3.secretKey()))) {
            store.ensureBucket();
            for (long v = 1; v <= 50; v++) {
                publish(store, v);
            }
            RegistryConfig config = config();
            try (RegistryServer registry = RegistryServer.start(config, store)) {
                HttpClient http = HttpClient.newHttpClient();
                put(
                        http,
                        registry.uri().resolve("/api/v1/models/ctr/aliases/production"),
                        "{\"version\":50,\"reason\":\"bench\"}");
                String path = "/api/v1/models/ctr/aliases/production";
                byte[] answer =
                        http.send(
                                        HttpRequest.newBuilder(registry.uri().resolve(path))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofByteArray())
                                .body();
                HttpServer bare = bareServer(answer, config.threads());
                md.append(
                        lookupTable(
                                registry.port(),
                                bare.getAddress().getPort(),
                                path,
                                workers,
                                seconds,
                                rounds,
                                measured));
                md.append(
                        rateTable(
                                registry.port(),
                                bare.getAddress().getPort(),
                                path,
                                workers,
                                rate,
                                seconds,
                                rounds,
                                measured));
                bare.stop(0);
                md.append(
                        publishTable(http, registry, store, publishes, config.refresh(), measured));
            }
        }
        md.append("\nMachine: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.runtime.version"))
                .append("; client and servers share the machine.\n");
        Path out = Path.of("bench/target/registry-bench/results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        RegistryFigures.of(measured, workers, rate, config().refresh()).writeTo(out.getParent());
        System.out.println(md);
        System.out.println("Written to " + out);
    }

    /** Every measurement the figures are made of. */
    record Measured(
            List<HttpLoad.Result> bareClosed,
            List<HttpLoad.Result> registryClosed,
            List<HttpLoad.Result> bareRate,
            List<HttpLoad.Result> registryRate,
            double[] longPollP50) {}

    private static RegistryConfig config() {
        return RegistryConfig.defaults().withPort(0).withToken(TOKEN);
    }

    private static String rateTable(
            int registryPort,
            int barePort,
            String path,
            int connections,
            double rate,
            double seconds,
            int rounds,
            Measured measured)
            throws InterruptedException {
        StringBuilder md = new StringBuilder();
        md.append(
                        String.format(
                                "%n### Alias lookup at a fixed %,.0f req/s (open loop, %d connections,"
                                        + " latency from when each request was due)%n%n",
                                rate, connections))
                .append("| round | server | req/s | p50 ms | p99 ms | p99.9 ms | errors |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (int r = 1; r <= rounds; r++) {
            HttpLoad.Result bare = HttpLoad.fixedRate(barePort, path, connections, rate, seconds);
            HttpLoad.Result reg =
                    HttpLoad.fixedRate(registryPort, path, connections, rate, seconds);
            measured.bareRate().add(bare);
            measured.registryRate().add(reg);
            for (var e :
                    List.of(
                            Map.entry("bare JDK HttpServer, constant", bare),
                            Map.entry("registry alias lookup", reg))) {
                HttpLoad.Result x = e.getValue();
                md.append(
                        String.format(
                                "| %d | %s | %,.0f | %.2f | %.2f | %.2f | %d |%n",
                                r,
                                e.getKey(),
                                x.requestsPerSecond(),
                                x.percentileMillis(50),
                                x.percentileMillis(99),
                                x.percentileMillis(99.9),
                                x.errors()));
            }
        }
        return md.toString();
    }

    private static String lookupTable(
            int registryPort,
            int barePort,
            String path,
            int workers,
            double seconds,
            int rounds,
            Measured measured)
            throws InterruptedException {
        // Warm both up (JIT) before measuring; then alternate so drift hits both alike.
        HttpLoad.run(barePort, path, workers, 3);
        HttpLoad.run(registryPort, path, workers, 3);
        StringBuilder md = new StringBuilder();
        md.append("### Alias lookup under load (")
                .append(workers)
                .append(" keep-alive connections, ")
                .append(seconds)
                .append(" s per run)\n\n")
                .append(
                        "| round | server | req/s | p50 ms | p99 ms | errors | registry / bare req/s |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (int r = 1; r <= rounds; r++) {
            HttpLoad.Result bare = HttpLoad.run(barePort, path, workers, seconds);
            HttpLoad.Result reg = HttpLoad.run(registryPort, path, workers, seconds);
            measured.bareClosed().add(bare);
            measured.registryClosed().add(reg);
            md.append(row(r, "bare JDK HttpServer, constant", bare, ""));
            md.append(
                    row(
                            r,
                            "registry alias lookup",
                            reg,
                            String.format(
                                    "%.2fx", reg.requestsPerSecond() / bare.requestsPerSecond())));
        }
        return md.toString();
    }

    private static String row(int round, String name, HttpLoad.Result r, String ratio) {
        return String.format(
                "| %d | %s | %,.0f | %.2f | %.2f | %d | %s |%n",
                round,
                name,
                r.requestsPerSecond(),
                r.percentileMillis(50),
                r.percentileMillis(99),
                r.errors(),
                ratio);
    }

    private static String publishTable(
            HttpClient http,
            RegistryServer registry,
            S3ObjectStore store,
            int n,
            Duration refresh,
            Measured measured)
            throws Exception {
        long version = 51;
        double[] registered = new double[n];
        double[] unregistered = new double[n];
        for (int i = 0; i < 2 * n; i++) {
            boolean register = i % 2 == 0;
            long v = version++;
            CompletableFuture<Long> answered =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    http.send(
                                            HttpRequest.newBuilder(
                                                            registry.uri()
                                                                    .resolve(
                                                                            "/api/v1/models/ctr/aliases/latest?after="
                                                                                    + (v - 1)
                                                                                    + "&wait=30s"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding());
                                    return System.nanoTime();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Thread.sleep(200); // let the poll park
            long t0 = System.nanoTime();
            Manifest m = publish(store, v);
            if (register) {
                HttpRequest req =
                        HttpRequest.newBuilder(
                                        registry.uri().resolve("/api/v1/models/ctr/versions"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofByteArray(
                                                ManifestJson.toBytes(m)))
                                .build();
                http.send(req, HttpResponse.BodyHandlers.discarding());
            }
            double ms = (answered.get() - t0) / 1e6;
            (register ? registered : unregistered)[i / 2] = ms;
        }
        Arrays.sort(registered);
        Arrays.sort(unregistered);
        measured.longPollP50()[0] = registered[n / 2];
        measured.longPollP50()[1] = unregistered[n / 2];
        return String.format(
                "%n### Manifest written -> long-poll answered (%d publishes each)%n%n"
                        + "| path | p50 ms | max ms | ceiling |%n| --- | ---: | ---: | --- |%n"
                        + "| trainer registers (POST) right after the manifest | %.1f | %.1f | |%n"
                        + "| no register call: the registry's refresh finds it | %.1f | %.1f | refresh interval %d ms |%n",
                n,
                registered[n / 2],
                registered[n - 1],
                unregistered[n / 2],
                unregistered[n - 1],
                refresh.toMillis());
    }

    private static HttpServer bareServer(byte[] body, int threads) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(0), 256);
        // Daemon threads, as the registry's: the benchmark's JVM must end when main does.
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        threads,
                        task -> {
                            Thread t = new Thread(task, "bare-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(pool);
        server.createContext(
                "/",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
        return server;
    }

    private static void put(HttpClient http, URI uri, String body) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("promote failed: " + r.body());
        }
    }

    /** A version as the trainer publishes it: its file, then the manifest, both if absent. */
    private static Manifest publish(S3ObjectStore store, long v) {
        byte[] weights = ("weights " + v).getBytes(StandardCharsets.UTF_8);
        Manifest m =
                new Manifest(
                        Manifest.FORMAT,
                        MODEL,
                        v,
                        "c" + v,
                        Instant.now().toString(),
                        v > 1 ? v - 1 : null,
                        List.of(
                                new Manifest.FileEntry(
                                        "parameters.safetensors",
                                        dev.freshet.manifest.Checksums.sha256(weights),
                                        weights.length)),
                        new Manifest.Lineage(
                                "samples",
                                Map.of(0, v * 100),
                                Manifest.Counts.ZERO,
                                Manifest.Counts.ZERO,
                                null,
                                null,
                                "s",
                                "c",
                                v),
                        new ArrayList<>(),
                        Map.of(),
                        null);
        String prefix = "models/" + MODEL + "/versions/" + v + "/";
        store.putIfAbsent(prefix + "parameters.safetensors", weights, "application/octet-stream");
        store.putIfAbsent(prefix + Manifest.FILE, ManifestJson.toBytes(m), "application/json");
        return m;
    }
}
