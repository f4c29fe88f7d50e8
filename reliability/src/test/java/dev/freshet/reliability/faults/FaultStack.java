package dev.freshet.reliability.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.Checkout;
import dev.freshet.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Freshet stack as separate processes, as docker-compose or Kubernetes runs it: a KRaft
 * broker, an S3 server, the label-join pipeline, the registry, the trainer and a serving replica,
 * each a {@code freshet} command in its own JVM on fixed ports and directories, so any one can be
 * killed and started again where it was.
 */
final class FaultStack implements AutoCloseable {

    static final String BUCKET = "freshet";
    static final String MODEL = "ranking";
    static final String ACCESS_KEY = "reliability";
    private static final Logger LOG = LoggerFactory.getLogger(FaultStack.class);
    private static final String SECRET = "reliability-secret-key-not-for-production";
    private static final String TOKEN = "reliability-write-token";
    private static final Duration READY = Duration.ofSeconds(180);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final int kafkaPort;
    private final int controllerPort;
    private final int s3Port;
    private final int registryPort;
    private final int trainerPort;
    private final int servingPort;
    private final Path config;
    private final Map<Component, FreshetProcess> processes = new EnumMap<>(Component.class);

    FaultStack(Path dir) throws IOException {
        this.dir = dir;
        int[] ports = FreePorts.take(6);
        kafkaPort = ports[0];
        controllerPort = ports[1];
        s3Port = ports[2];
        registryPort = ports[3];
        trainerPort = ports[4];
        servingPort = ports[5];
        Files.createDirectories(dir.resolve("logs"));
        Path secretFile = dir.resolve("s3-secret");
        Files.writeString(secretFile, SECRET);
        config = writeConfig(dir.resolve("freshet.yaml"));
        Map<String, String> s3Env =
                Map.of(
                        "FRESHET_S3_ACCESS_KEY", ACCESS_KEY,
                        "FRESHET_S3_SECRET_KEY", SECRET,
                        "FRESHET_REGISTRY_TOKEN", TOKEN);
        add(
                Component.KAFKA,
                "-Xmx512m",
                Map.of(),
                p -> p.logContains("Kafka ready on"),
                "kafka",
                "--dir",
                dir.resolve("kafka").toString(),
                "--port",
                "" + kafkaPort,
                "--controller-port",
                "" + controllerPort);
        add(
                Component.S3,
                "-Xmx256m",
                Map.of(),
                p -> p.logContains("S3 ready on"),
                "s3",
                "--dir",
                dir.resolve("s3").toString(),
                "--port",
                "" + s3Port,
                "--bucket",
                BUCKET,
                "--access-key",
                ACCESS_KEY,
                "--secret-key-file",
                secretFile.toString());
        add(
                Component.PIPELINE,
                "-Xmx768m",
                Map.of(),
                p -> p.logContains("Pipeline running (job"),
                "pipeline",
                "--bootstrap-servers",
                bootstrapServers(),
                "--config",
                config.toString(),
                "--checkpoint-dir",
                dir.resolve("checkpoints").toString(),
                "--parallelism",
                "1");
        add(
                Component.REGISTRY,
                "-Xmx256m",
                s3Env,
                p -> ok(registry().resolve("/readyz")),
                "registry",
                "--s3-endpoint",
                s3Endpoint(),
                "--bucket",
                BUCKET,
                "--port",
                "" + registryPort,
                "--refresh",
                "500ms");
        add(
                Component.TRAINER,
                "-Xmx1g",
                s3Env,
                p -> ok(URI.create("http://localhost:" + trainerPort + "/healthz")),
                "trainer",
                "--bootstrap-servers",
                bootstrapServers(),
                "--s3-endpoint",
                s3Endpoint(),
                "--bucket",
                BUCKET,
                "--registry",
                registry().toString(),
                "--config",
                config.toString(),
                "--state-dir",
                dir.resolve("trainer").toString(),
                "--metrics-port",
                "" + trainerPort);
        add(
                Component.SERVING,
                "-Xmx768m",
                Map.of(),
                p -> ok(serving().resolve("/healthz")),
                "serve",
                "--registry",
                registry().toString(),
                "--model",
                MODEL,
                "--port",
                "" + servingPort,
                "--work-dir",
                dir.resolve("serving").toString());
    }

    /**
     * Starts the components in three waves of two that do not need each other (the broker and S3;
     * the pipeline and the registry; the trainer and the replica), each wave once the one before is
     * ready: JVM start-up dominates on two cores, and the order is still the one they depend on.
     */
    void startAll() throws InterruptedException {
        List<List<Component>> waves =
                List.of(
                        List.of(Component.KAFKA, Component.S3),
                        List.of(Component.PIPELINE, Component.REGISTRY),
                        List.of(Component.TRAINER, Component.SERVING));
        for (List<Component> wave : waves) {
            long t0 = System.nanoTime();
            wave.forEach(c -> processes.get(c).start());
            for (Component c : wave) {
                processes.get(c).awaitReady(READY);
            }
            LOG.info("{} ready in {} ms", wave, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    void start(Component c) throws InterruptedException {
        FreshetProcess p = processes.get(c);
        p.start();
        p.awaitReady(READY);
    }

    FreshetProcess process(Component c) {
        return processes.get(c);
    }

    String bootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    String s3Endpoint() {
        return "http://localhost:" + s3Port;
    }

    URI registry() {
        return URI.create("http://localhost:" + registryPort);
    }

    URI serving() {
        return URI.create("http://localhost:" + servingPort);
    }

    Path config() {
        return config;
    }

    /** A client on the stack's bucket, for checks that must not go through Freshet's code. */
    S3ObjectStore objectStore() {
        return new S3ObjectStore(
                new S3Settings(
                        URI.create(s3Endpoint()),
                        BUCKET,
                        S3Settings.DEFAULT_REGION,
                        ACCESS_KEY,
                        SECRET),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }

    /** SIGTERM to each, newest first; returns the components that did not exit with 0. */
    List<String> stopAll() throws InterruptedException {
        List<String> bad = new ArrayList<>();
        List<Component> order = new ArrayList<>(List.of(Component.values()));
        java.util.Collections.reverse(order);
        for (Component c : order) {
            FreshetProcess p = processes.get(c);
            try {
                int code = p.stop(Duration.ofSeconds(60));
                // 143 = 128 + SIGTERM: how a JVM reports a stop by signal once its shutdown hooks
                // have run; Kubernetes and compose read it as a clean stop too.
                if (code != 0 && code != 143) {
                    bad.add(c + " exited with " + code + ":\n" + p.tail());
                }
            } catch (IllegalStateException e) {
                bad.add(e.getMessage());
            }
        }
        return bad;
    }

    @Override
    public void close() throws InterruptedException {
        for (FreshetProcess p : processes.values()) {
            p.kill();
        }
    }

    private void add(
            Component c,
            String heap,
            Map<String, String> env,
            java.util.function.Predicate<FreshetProcess> ready,
            String... args) {
        processes.put(
                c,
                new FreshetProcess(
                        c.cliName(),
                        List.of(heap),
                        List.of(args),
                        env,
                        dir.resolve("logs"),
                        ready));
    }

    /**
     * The pipeline's features are the simulator's (docker/flink/pipeline.yaml, which a compose test
     * keeps equal to SimulatedFeatures); windows, intervals and the model are small so that a
     * version follows every few seconds of traffic and a restart has little to replay.
     */
    private static Path writeConfig(Path file) throws IOException {
        ObjectMapper yaml = new YAMLMapper();
        ObjectNode compose =
                (ObjectNode) yaml.readTree(Checkout.read("docker/flink/pipeline.yaml"));
        ObjectNode root =
                (ObjectNode)
                        yaml.readTree(
                                """
                                pipeline:
                                  tasks: {click: 4s, save: 8s, hide: 8s, pay: 12s}
                                  allowed_lateness: 4s
                                  idle_timeout: 5s
                                  checkpoint_interval: 2s
                                  refit_interval: 5s
                                  bootstrap_samples: 500
                                  negative_sample_rate: 1.0
                                  state_backend: hashmap
                                trainer:
                                  model_name: ranking
                                  batch_size: 256
                                  publish_every: 5s
                                  publish_every_samples: 4000
                                  max_batch_wait: 500ms
                                  probe_size: 256
                                  gate: {replay_steps: 2, max_prediction_drift: 0.5, max_auc_drop: 0.5, max_log_loss_increase: 2.0}
                                model:
                                  tasks:
                                    - {name: click, weight: 1.0}
                                    - {name: save, weight: 2.0}
                                    - {name: hide, weight: 0.5}
                                    - {name: pay, weight: 4.0}
                                  mlp: [32]
                                """);
        root.set("features", compose.get("features"));
        yaml.writeValue(file.toFile(), root);
        return file;
    }

    private static boolean ok(URI uri) {
        try {
            HttpResponse<Void> r =
                    HTTP.send(
                            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
