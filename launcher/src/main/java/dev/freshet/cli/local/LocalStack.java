package dev.freshet.cli.local;

import dev.freshet.cli.exception.CommandException;
import dev.freshet.cli.kafka.BrokerSettings;
import dev.freshet.cli.kafka.LocalBroker;
import dev.freshet.cli.pipeline.PipelineLauncher;
import dev.freshet.cli.s3.LocalS3;
import dev.freshet.cli.s3.S3Command;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import dev.freshet.registry.RegistryConfig;
import dev.freshet.registry.RegistryServer;
import dev.freshet.registry.index.ModelEntry;
import dev.freshet.serving.ServingConfig;
import dev.freshet.serving.ServingReplica;
import dev.freshet.simulator.KafkaEventSink;
import dev.freshet.simulator.SimulatedFeatures;
import dev.freshet.simulator.SimulatorConfig;
import dev.freshet.simulator.TrafficSimulator;
import dev.freshet.store.S3Credentials;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.trainer.observe.MetricsServer;
import dev.freshet.trainer.observe.TrainerMetrics;
import dev.freshet.trainer.publish.RegistryNotifier;
import dev.freshet.trainer.service.TrainerConfigFile;
import dev.freshet.trainer.service.TrainerService;
import dev.freshet.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Freshet component in this process, started in dependency order with a health check after
 * each, and stopped in the reverse order: Kafka, S3, the pipeline, the registry, the trainer, a
 * serving replica and the traffic simulator. The registry starts before the trainer (not after, as
 * a person might list them) so that the trainer can tell it of every version, including the one it
 * publishes while stopping.
 */
final class LocalStack implements AutoCloseable {

    static final String BUCKET = "freshet";
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration STARTUP = Duration.ofSeconds(120);

    /** A started component and how to stop it. */
    private record Running(String name, AutoCloseable stop) {}

    private final LocalStackConfig config;
    private final PrintWriter out;
    private final Deque<Running> running = new ArrayDeque<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private String bootstrapServers;
    private String modelName;
    private String registryToken;
    private PipelineConfig pipeline;
    private S3ObjectStore store;
    private JobClient job;
    private RegistryServer registry;
    private TrainerService trainer;
    private TrainerMetrics trainerMetrics;
    private ServingReplica replica;
    private TrafficSimulator simulator;
    private OutputCounter output;

    private LocalStack(LocalStackConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Starts everything; on a failure stops what already runs and rethrows.
     *
     * @param effective the config file the pipeline and the trainer read ({@link LocalConfigFile})
     */
    static LocalStack start(LocalStackConfig config, Path effective, PrintWriter out)
            throws Exception {
        LocalStack stack = new LocalStack(config, out);
        try {
            stack.startAll(effective);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path effective) throws Exception {
        Files.createDirectories(config.dir());
        lockDir();
        requireFreePorts();
        step("Kafka", this::startKafka);
        step("S3", this::startS3);
        step("pipeline", () -> startPipeline(effective));
        step("registry", this::startRegistry);
        step("trainer", () -> startTrainer(effective));
        step("serving replica", this::startReplica);
        if (config.rate() > 0) {
            step("simulator", this::startSimulator);
        }
    }

    /**
     * One stack per directory: two would share (and corrupt) the broker's and the buckets' files.
     */
    private void lockDir() throws IOException {
        FileChannel channel =
                FileChannel.open(
                        config.dir().resolve(".lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new CommandException(
                    "another freshet local is running on "
                            + shown(config.dir())
                            + "; stop it or choose another --dir");
        }
        running.push(new Running("the lock on " + config.dir(), channel));
    }

    /** Every port checked before anything starts, so a busy one fails fast and by name. */
    private void requireFreePorts() {
        LocalStackConfig.Ports p = config.ports();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--kafka-port", p.kafka());
        ports.put("--controller-port", p.controller());
        ports.put("--s3-port", p.s3());
        ports.put("--registry-port", p.registry());
        ports.put("--serving-port", p.serving());
        ports.put("--metrics-port", p.trainerMetrics());
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(e.getValue()));
            } catch (IOException ex) {
                throw new CommandException(
                        String.format(
                                "port %d is in use (is another Freshet running?); choose another"
                                        + " with %s",
                                e.getValue(), e.getKey()));
            }
        }
    }

    private interface Starter {
        String start() throws Exception;
    }

    private void step(String name, Starter starter) throws Exception {
        long t0 = System.nanoTime();
        LOG.info("Starting {}", name);
        String where = starter.start();
        String line =
                String.format(
                        "%-16s ready in %4.1f s  %s", name, (System.nanoTime() - t0) / 1e9, where);
        out.println(line);
        out.flush();
        LOG.info(line);
    }

    private String startKafka() {
        LocalBroker broker =
                LocalBroker.start(
                        new BrokerSettings(
                                config.kafkaDir(),
                                "localhost",
                                config.ports().kafka(),
                                config.ports().controller()));
        running.push(new Running("Kafka", broker));
        bootstrapServers = broker.settings().bootstrapServers();
        return bootstrapServers;
    }

    private String startS3() throws InterruptedException {
        S3Credentials credentials =
                LocalSecrets.s3Credentials(config.s3Dir().resolve(S3Command.CREDENTIALS_FILE));
        LocalS3 s3 =
                LocalS3.start(
                        config.s3Dir(),
                        "localhost",
                        config.ports().s3(),
                        credentials,
                        List.of(BUCKET));
        running.push(new Running("S3", s3));
        store =
                new S3ObjectStore(
                        new S3Settings(
                                URI.create(s3.endpoint()),
                                BUCKET,
                                S3Settings.DEFAULT_REGION,
                                credentials));
        running.push(new Running("S3 client", store));
        HealthCheck.await("S3", STARTUP, this::storeAnswers);
        return s3.endpoint() + "/" + BUCKET + " (buckets in " + shown(config.s3Dir()) + ")";
    }

    /** Paths as a person can paste them, wherever they ran the command from. */
    private static Path shown(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private boolean storeAnswers() {
        try {
            store.list("models/");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String startPipeline(Path effective) throws Exception {
        PipelineConfig base =
                PipelineConfig.defaults(bootstrapServers).toBuilder()
                        .checkpointDir(config.checkpointDir())
                        .features(SimulatedFeatures.featureConfig())
                        .build();
        pipeline = PipelineConfigFile.load(effective, base).withBootstrapServers(bootstrapServers);
        JobClient started = PipelineLauncher.start(pipeline);
        job = started;
        running.push(new Running("pipeline", () -> stopPipeline(started)));
        HealthCheck.await("pipeline", STARTUP, () -> jobStatus(started) == JobStatus.RUNNING);
        output = new OutputCounter(bootstrapServers, pipeline.topics());
        running.push(new Running("output counter", output));
        output.start();
        return "checkpoints in " + shown(config.checkpointDir());
    }

    private static JobStatus jobStatus(JobClient job) {
        try {
            return job.getJobStatus().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return JobStatus.INITIALIZING;
        }
    }

    private static void stopPipeline(JobClient job) throws Exception {
        if (!jobStatus(job).isGloballyTerminalState()) {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // cancelled, as asked
        }
    }

    private String startRegistry() throws Exception {
        registryToken = LocalSecrets.registryToken(config.registryToken());
        registry =
                RegistryServer.start(
                        RegistryConfig.defaults()
                                .withPort(config.ports().registry())
                                .withToken(registryToken),
                        store);
        running.push(new Running("registry", registry));
        URI ready = registry.uri().resolve("/readyz");
        HealthCheck.await("registry", STARTUP, () -> HealthCheck.httpOk(ready));
        return registry.uri() + " (write token in " + shown(config.registryToken()) + ")";
    }

    private String startTrainer(Path effective) throws Exception {
        TrainerServiceConfig tc = TrainerConfigFile.load(effective, config.trainerDir());
        modelName = tc.modelName();
        trainerMetrics = new TrainerMetrics();
        running.push(new Running("trainer metrics", trainerMetrics));
        TrainerService service =
                new TrainerService(
                        tc, bootstrapServers, store, trainerMetrics, TrainerService.Hooks.NONE);
        trainer = service;
        running.push(new Running("trainer service", service));
        service.onPublished(new RegistryNotifier(registry.uri(), registryToken));
        MetricsServer metricsServer =
                MetricsServer.start(
                        config.ports().trainerMetrics(), trainerMetrics, service::ready);
        running.push(new Running("trainer metrics server", metricsServer));
        Thread thread = new Thread(() -> runTrainer(service), "freshet-trainer");
        thread.start();
        running.push(new Running("trainer", () -> stopTrainer(service, thread)));
        // Live, not ready: on a first start the trainer waits for the pipeline's first feature
        // spec, which needs the traffic that starts last.
        URI health = URI.create("http://localhost:" + metricsServer.port() + "/healthz");
        HealthCheck.await(
                "trainer",
                STARTUP,
                () -> {
                    if (!thread.isAlive()) {
                        throw new IllegalStateException("the trainer stopped while starting");
                    }
                    return HealthCheck.httpOk(health);
                });
        return "model "
                + tc.modelName()
                + ", state in "
                + shown(tc.stateDir())
                + ", metrics on http://localhost:"
                + metricsServer.port()
                + "/metrics";
    }

    private void runTrainer(TrainerService service) {
        try {
            service.run();
        } catch (Throwable t) {
            LOG.error("The trainer failed", t);
            failure.compareAndSet(null, t);
        }
    }

    private static void stopTrainer(TrainerService service, Thread thread) throws Exception {
        service.stop();
        thread.join(Duration.ofMinutes(2).toMillis());
        if (thread.isAlive()) {
            LOG.warn("The trainer did not stop within 2 minutes; interrupting it");
            thread.interrupt();
            thread.join(10_000);
        }
        if (!service.awaitPublished(Duration.ofSeconds(30))) {
            LOG.warn("The trainer's last version was not published within 30 s");
        }
    }

    private String startReplica() throws Exception {
        ServingConfig sc =
                ServingConfig.of(
                        registry.uri(),
                        modelName,
                        ModelEntry.LATEST,
                        config.ports().serving(),
                        config.servingDir());
        replica = ServingReplica.start(sc);
        running.push(new Running("serving replica", replica));
        URI health = URI.create("http://localhost:" + replica.port() + "/healthz");
        HealthCheck.await("serving replica", STARTUP, () -> HealthCheck.httpOk(health));
        return "http://localhost:" + replica.port() + " (POST /score, GET /status)";
    }

    private String startSimulator() {
        SimulatorConfig d = SimulatorConfig.defaults();
        SimulatorConfig sc =
                new SimulatorConfig(
                        config.seed(),
                        config.rate(),
                        d.users(),
                        d.items(),
                        d.itemsPerRequest(),
                        d.malformedShare(),
                        d.duplicateShare(),
                        d.earlyEngagementShare(),
                        config.delayScale(),
                        pipeline.topics().impressions(),
                        pipeline.topics().engagements());
        simulator = TrafficSimulator.start(sc, new KafkaEventSink(bootstrapServers));
        running.push(new Running("simulator", simulator));
        return String.format(
                "%,.0f impressions/s, seed %d, %,d users, %,d items",
                sc.impressionsPerSecond(), sc.seed(), sc.users(), sc.items());
    }

    /** A component that failed while running, if any: the stack should stop. */
    Optional<String> failure() {
        Throwable t = failure.get();
        if (t != null) {
            return Optional.of("the trainer failed: " + t);
        }
        if (simulator != null && simulator.failure() != null) {
            return Optional.of("the simulator failed: " + simulator.failure());
        }
        if (job != null && job.getJobExecutionResult().isDone()) {
            return Optional.of("the pipeline stopped: " + jobOutcome());
        }
        return Optional.empty();
    }

    private String jobOutcome() {
        try {
            job.getJobExecutionResult().get();
            return "finished";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause.getMessage();
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** The model the trainer publishes and the replica serves. */
    String modelName() {
        return modelName;
    }

    RegistryServer registry() {
        return registry;
    }

    TrainerMetrics trainerMetrics() {
        return trainerMetrics;
    }

    ServingReplica replica() {
        return replica;
    }

    Optional<TrafficSimulator> simulator() {
        return Optional.ofNullable(simulator);
    }

    OutputCounter output() {
        return output;
    }

    /** Stops every started component, newest first; a failing stop does not skip the others. */
    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            Running r = running.pop();
            long t0 = System.nanoTime();
            LOG.info("Stopping {}", r.name());
            try {
                r.stop().close();
                LOG.info("Stopped {} in {} ms", r.name(), (System.nanoTime() - t0) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Interrupted while stopping {}", r.name());
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", r.name(), e.toString());
            }
        }
    }
}
