package dev.freshet.cli.pipeline;

import dev.freshet.cli.exception.CommandException;
import dev.freshet.cli.kafka.KafkaReachability;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code freshet pipeline}: the Flink label-join job on a local MiniCluster, until stopped. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = {
            "Run the label-join pipeline (impressions + engagements -> samples, late-engagements,"
                    + " freshet.dlq) on a Flink MiniCluster in this process until stopped.",
            "Creates missing topics, and resumes from the newest checkpoint in the checkpoint"
                    + " directory if there is one.",
            "Settings: defaults, then the 'pipeline:' section of --config, then these flags."
        })
public final class PipelineCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineCommand.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (wins over the config file).")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "Freshet YAML config file.")
    Path configFile;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description = "Checkpoint directory (default: freshet-data/checkpoints).")
    Path checkpointDir;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Operator parallelism (default: 1).")
    Integer parallelism;

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = config();
        KafkaReachability.require(config.bootstrapServers(), CONNECT_TIMEOUT);
        JobClient job = PipelineLauncher.start(config);
        logOnShutdown(config.checkpointDir().toAbsolutePath());
        try {
            job.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            throw new CommandException(
                    "pipeline failed: " + e.getCause().getMessage(), e.getCause());
        }
        LOG.info("Pipeline finished");
        return 0;
    }

    /** Ctrl-C ends the JVM and the MiniCluster in it; retained checkpoints stay for the restart. */
    private static void logOnShutdown(Path checkpoints) {
        Thread hook =
                new Thread(
                        () ->
                                LOG.info(
                                        "Pipeline stopping; it resumes from {} when started again",
                                        checkpoints),
                        "freshet-pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Defaults, then the file, then flags; the result is validated by PipelineConfig itself. */
    PipelineConfig config() {
        PipelineConfig config = PipelineConfig.defaults(bootstrapServers);
        if (configFile != null) {
            config = PipelineConfigFile.load(configFile, config);
        }
        PipelineConfig.Builder b = config.toBuilder().bootstrapServers(bootstrapServers);
        if (checkpointDir != null) {
            b.checkpointDir(checkpointDir);
        }
        if (parallelism != null) {
            b.parallelism(parallelism);
        }
        return b.build();
    }
}
