package dev.freshet.cli.pipeline;

import dev.freshet.features.config.Durations;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.kafka.TopicBootstrap;
import dev.freshet.flink.pipeline.KafkaPipeline;
import dev.freshet.flink.pipeline.LatestCheckpoint;
import dev.freshet.flink.pipeline.PipelineEnvironment;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the label-join job on a MiniCluster in this JVM, resuming from the newest retained
 * checkpoint in the checkpoint directory, so stopping and restarting {@code freshet pipeline}
 * continues where it left off (exactly-once: offsets, join state and open transactions together).
 */
public final class PipelineLauncher {

    static final String JOB_NAME = "freshet-label-join";
    private static final Logger LOG = LoggerFactory.getLogger(PipelineLauncher.class);

    private PipelineLauncher() {}

    /** Submits the job and returns once it is running; the caller waits on or cancels it. */
    public static JobClient start(PipelineConfig config) throws Exception {
        LOG.info(
                "Pipeline config: kafka={} topics={} tasks={} allowed_lateness={}"
                        + " negative_sample_rate={} state_backend={} checkpoints every {} in {}"
                        + " parallelism={}",
                config.bootstrapServers(),
                config.topics(),
                config.tasks(),
                Durations.format(config.allowedLateness()),
                config.negativeSampleRate(),
                config.stateBackend(),
                Durations.format(config.checkpointInterval()),
                config.checkpointDir().toAbsolutePath(),
                config.parallelism());
        TopicBootstrap.ensure(config);
        Optional<Path> restore = LatestCheckpoint.in(config.checkpointDir());
        if (restore.isPresent()) {
            LOG.info("Restoring from checkpoint {}", restore.get().toAbsolutePath());
        } else {
            LOG.info(
                    "No checkpoint in {}: starting from the earliest offsets",
                    config.checkpointDir().toAbsolutePath());
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PipelineEnvironment.configuration(
                                config, restore.map(p -> p.toAbsolutePath().toString())));
        KafkaPipeline.labelJoin(config).build(env);
        JobClient job = env.executeAsync(JOB_NAME);
        LOG.info("Pipeline running (job {})", job.getJobID());
        return job;
    }
}
