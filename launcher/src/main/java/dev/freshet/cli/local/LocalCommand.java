package dev.freshet.cli.local;

import dev.freshet.cli.FreshetCli;
import dev.freshet.cli.exception.CommandException;
import dev.freshet.cli.kafka.BrokerSettings;
import dev.freshet.cli.kafka.LocalBroker;
import dev.freshet.cli.pipeline.PipelineLauncher;
import dev.freshet.cli.replay.OpenBanditFiles;
import dev.freshet.features.spec.FeatureConfig;
import dev.freshet.flink.config.ConfigException;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import dev.freshet.flink.config.TaskWindows;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshet local}: everything that exists so far, embedded in this process. A real KRaft
 * broker on a directory, the label-join pipeline on a MiniCluster, and (on first start) a replay of
 * the Open Bandit sample, with a progress line as samples are committed.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run Freshet on this machine until Ctrl-C: a Kafka broker, the label-join pipeline and,"
                    + " on first start, a replay of the Open Bandit sample into it.",
            "State lives in --dir; a restart resumes from it (broker data and pipeline"
                    + " checkpoints). Attribution windows are short (click 1m, save/hide 2m,"
                    + " pay 5m) so samples appear within minutes, and the Open Bandit features are"
                    + " processed; --config overrides both."
        })
public final class LocalCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCommand.class);

    /** Short windows and a quick idle verdict, so a person sees samples within minutes. */
    static final TaskWindows DEMO_WINDOWS =
            new TaskWindows(
                    TaskWindows.ordered(
                            "click", Duration.ofMinutes(1),
                            "save", Duration.ofMinutes(2),
                            "hide", Duration.ofMinutes(2),
                            "pay", Duration.ofMinutes(5)),
                    Map.of());

    /** Feature processing of the Open Bandit replay's features, so local samples are processed. */
    static final FeatureConfig OPEN_BANDIT_FEATURES =
            new FeatureConfig(
                    7,
                    List.of(
                            new FeatureConfig.DenseFeature("propensity_score", 10),
                            new FeatureConfig.DenseFeature("item_feature_0", 10)),
                    List.of(
                            new FeatureConfig.SparseFeature("user_feature_0", 64, 5),
                            new FeatureConfig.SparseFeature("user_feature_1", 64, 5),
                            new FeatureConfig.SparseFeature("user_feature_2", 64, 5),
                            new FeatureConfig.SparseFeature("user_feature_3", 64, 5),
                            new FeatureConfig.SparseFeature("item_feature_1", 256, 5),
                            new FeatureConfig.SparseFeature("campaign", 8, 5)),
                    List.of(),
                    Duration.ofHours(1),
                    1,
                    0.9);

    @Spec CommandSpec spec;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "freshet-data/local",
            description =
                    "Where the broker and the pipeline keep their state (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "9092",
            description = "Kafka client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--controller-port",
            paramLabel = "PORT",
            defaultValue = "9093",
            description = "Kafka controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(
            names = "--open-bandit",
            paramLabel = "DIR",
            description =
                    "The Open Bandit sample to replay (default: shared/data/open-bandit found"
                            + " above the working directory).")
    Path openBandit;

    @Option(names = "--no-replay", description = "Do not replay anything; just run the stack.")
    boolean noReplay;

    @Option(names = "--config", paramLabel = "FILE", description = "Freshet YAML config file.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(dir);
        LocalBroker broker =
                LocalBroker.start(
                        new BrokerSettings(
                                dir.resolve("kafka"), "localhost", port, controllerPort));
        String servers = broker.settings().bootstrapServers();
        out.println("Kafka ready on " + servers);
        PipelineConfig config = config(servers);
        JobClient job = PipelineLauncher.start(config);
        ProgressReporter progress = new ProgressReporter(servers, config.topics(), out);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stopping.set(true);
                                    LOG.info(
                                            "Stopping; state stays in {} for the next start",
                                            dir.toAbsolutePath());
                                    progress.close();
                                    job.cancel();
                                    broker.close();
                                },
                                "freshet-local-shutdown"));
        out.println("Pipeline running; checkpoints in " + config.checkpointDir().toAbsolutePath());
        replayOnce(servers);
        progress.start();
        out.println(
                "Ctrl-C to stop. Inspect output with: bin/freshet samples --bootstrap-servers "
                        + servers
                        + " --max 5");
        out.flush();
        try {
            job.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            if (!stopping.get()) {
                throw new CommandException(
                        "pipeline failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return 0;
    }

    private PipelineConfig config(String servers) {
        PipelineConfig config =
                PipelineConfig.defaults(servers).toBuilder()
                        .tasks(DEMO_WINDOWS)
                        .idleTimeout(Duration.ofSeconds(10))
                        .checkpointDir(dir.resolve("checkpoints"))
                        .features(OPEN_BANDIT_FEATURES)
                        .bootstrapSamples(2_000)
                        .refitInterval(Duration.ofSeconds(10))
                        .build();
        if (configFile != null) {
            try {
                config = PipelineConfigFile.load(configFile, config).withBootstrapServers(servers);
            } catch (ConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return config;
    }

    /** Replays once per data directory: a restart must not feed the same events in again. */
    private void replayOnce(String servers) throws IOException {
        Path marker = dir.resolve("replayed");
        if (noReplay || Files.exists(marker)) {
            return;
        }
        Optional<Path> data =
                Optional.ofNullable(openBandit).or(() -> OpenBanditFiles.locateAbove(Path.of("")));
        if (data.isEmpty()) {
            LOG.warn("No Open Bandit sample found (shared/data/open-bandit); nothing replayed");
            return;
        }
        int code =
                FreshetCli.commandLine()
                        .setOut(spec.commandLine().getOut())
                        .setErr(spec.commandLine().getErr())
                        .execute(
                                "replay",
                                "--bootstrap-servers",
                                servers,
                                "--open-bandit",
                                data.get().toString());
        if (code != 0) {
            throw new CommandException("replaying " + data.get() + " failed (exit " + code + ")");
        }
        Files.writeString(marker, data.get().toAbsolutePath() + "\n");
    }
}
