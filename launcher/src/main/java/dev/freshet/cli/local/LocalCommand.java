package dev.freshet.cli.local;

import dev.freshet.cli.DurationConverter;
import dev.freshet.cli.exception.CommandException;
import dev.freshet.flink.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshet local}: the whole system in this process, fed by the traffic simulator, with live
 * progress, until Ctrl-C or the end of {@code --duration}. State lives in {@code --dir}, so a
 * second run continues where the first stopped.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run all of Freshet on this machine: a Kafka broker (KRaft), an S3 server (S3Proxy),"
                    + " the label-join pipeline on a Flink MiniCluster, the model registry, the"
                    + " trainer (CPU), a serving replica and the traffic simulator; with live"
                    + " progress, until Ctrl-C or the end of --duration.",
            "State (broker data, buckets, checkpoints, the trainer's state, the effective config"
                    + " and the log) lives in --dir; a second run on the same --dir continues"
                    + " from where the first stopped. Windows and intervals are short (click"
                    + " 30s, save/hide 1m, pay 2m; a version every 30 s); --config lays a Freshet"
                    + " YAML file over them."
        })
public final class LocalCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCommand.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(3);

    @Spec CommandSpec spec;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = ".freshet",
            description = "Where all state lives (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Stop by itself after this long, e.g. 10m (default: until Ctrl-C).")
    Duration duration;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "2000",
            description =
                    "Simulated impressions per second; 0 runs without traffic"
                            + " (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "The simulator's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--delay-scale",
            paramLabel = "X",
            defaultValue = "0.1",
            description =
                    "Scales the simulator's engagement delays to the windows: 0.1 for the local"
                            + " ones (click 30s ... pay 2m), 0.01 with windows of seconds"
                            + " (default: ${DEFAULT-VALUE}).")
    double delayScale;

    @Option(names = "--config", paramLabel = "FILE", description = "Freshet YAML config file.")
    Path configFile;

    @Option(
            names = {"--kafka-port", "--port"},
            paramLabel = "PORT",
            defaultValue = "9092",
            description = "Kafka client port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--controller-port",
            paramLabel = "PORT",
            defaultValue = "9093",
            description = "Kafka controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(
            names = "--s3-port",
            paramLabel = "PORT",
            defaultValue = "9000",
            description = "S3 server port (default: ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(
            names = "--registry-port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Registry API and page (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(
            names = "--serving-port",
            paramLabel = "PORT",
            defaultValue = "8081",
            description = "Serving replica (default: ${DEFAULT-VALUE}).")
    int servingPort;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9464",
            description = "The trainer's Prometheus metrics (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        LocalStackConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(dir);
        LocalLog.toFile(config.logFile());
        out.println(
                "Freshet local: state in "
                        + dir.toAbsolutePath().normalize()
                        + ", log in "
                        + config.logFile().toAbsolutePath().normalize());
        out.flush();

        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stopRequested.countDown();
                            try {
                                stopped.await(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "freshet-local-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(config, out, stopRequested);
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and has just been released
            }
        }
    }

    private int run(LocalStackConfig config, PrintWriter out, CountDownLatch stopRequested)
            throws Exception {
        Path effective;
        try {
            // Before anything starts: a mistake in --config is a usage error, not a failure.
            effective = LocalConfigFile.write(config.configFile(), config.effectiveConfig());
            LocalConfigFile.check(effective);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        LocalStack stack = LocalStack.start(config, effective, out);
        ProgressReporter progress =
                new ProgressReporter(
                        new ProgressReporter.Sources(
                                stack.modelName(),
                                stack.output()::counts,
                                stack.trainerMetrics()::snapshot,
                                stack.registry().registry(),
                                stack.replica().watcher()::servedVersion,
                                stack.simulator()),
                        out,
                        PROGRESS_EVERY);
        printTour(stack, out);
        progress.start();
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        Optional<String> failure = Optional.empty();
        while (!stopRequested.await(500, TimeUnit.MILLISECONDS)) {
            failure = stack.failure();
            if (failure.isPresent() || System.nanoTime() >= deadline) {
                break;
            }
        }
        out.println(
                failure.map(f -> "Stopping: " + f).orElse("Stopping (newest component first)..."));
        out.flush();
        progress.close();
        stack.simulator().ifPresent(s -> LOG.info("Simulator sent {}", s.stats()));
        stack.close();
        progress.report();
        out.println(
                "Stopped. State stays in "
                        + dir.toAbsolutePath().normalize()
                        + "; run again with the same --dir to continue.");
        out.flush();
        if (failure.isPresent()) {
            throw new CommandException(failure.get());
        }
        return 0;
    }

    private void printTour(LocalStack stack, PrintWriter out) {
        String registry = stack.registry().uri().toString().replaceAll("/$", "");
        out.println();
        out.println("Registry page:  " + registry + "/");
        out.println(
                "Registry API:   curl -s "
                        + registry
                        + "/api/v1/models/"
                        + stack.modelName()
                        + "/versions");
        out.println("Serving:        curl -s localhost:" + stack.replica().port() + "/status");
        out.println(
                "Samples:        bin/freshet samples --bootstrap-servers "
                        + stack.bootstrapServers()
                        + " --max 3");
        out.println(
                (duration == null ? "Ctrl-C to stop." : "Stopping after " + duration + ".")
                        + " Progress every "
                        + PROGRESS_EVERY.toSeconds()
                        + " s:");
        out.println();
        out.flush();
    }

    LocalStackConfig config() {
        if (configFile != null && !Files.isRegularFile(configFile)) {
            throw new ParameterException(spec.commandLine(), "--config: no file " + configFile);
        }
        try {
            return new LocalStackConfig(
                    dir,
                    new LocalStackConfig.Ports(
                            kafkaPort,
                            controllerPort,
                            s3Port,
                            registryPort,
                            servingPort,
                            metricsPort),
                    rate,
                    seed,
                    delayScale,
                    Optional.ofNullable(configFile),
                    Optional.ofNullable(duration));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
