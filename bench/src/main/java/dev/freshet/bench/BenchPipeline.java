package dev.freshet.bench;

import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.Topics;
import dev.freshet.flink.pipeline.PipelineEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The pipeline config and Flink configuration of one benchmark job. Both jobs get the same Flink
 * configuration: the one our job uses in production ({@link PipelineEnvironment}), with the
 * benchmark's checkpoint interval and heap state, and no restarts so a failure surfaces at once.
 */
final class BenchPipeline {

    static final String IMPRESSIONS = "impressions";
    static final String ENGAGEMENTS = "engagements";
    static final String WARMUP_IMPRESSIONS = "impressions-warmup";
    static final String WARMUP_ENGAGEMENTS = "engagements-warmup";

    private BenchPipeline() {}

    /** Input and output topics of one job run: samples, late engagements, dead letters. */
    static Topics topics(String job, String tag, String impressions, String engagements) {
        return new Topics(
                impressions,
                engagements,
                "samples-" + job + "-" + tag,
                "late-engagements-" + job + "-" + tag,
                "dlq-" + job + "-" + tag);
    }

    static PipelineConfig config(
            String bootstrapServers,
            String job,
            String tag,
            String impressions,
            String engagements,
            int parallelism,
            int partitions,
            Duration idleTimeout,
            Path workDir) {
        PipelineConfig.Builder b = PipelineConfig.defaults(bootstrapServers).toBuilder();
        if (job.equals("ours") && BenchFeatures.enabled()) {
            b.features(BenchFeatures.CONFIG)
                    .bootstrapSamples(BenchFeatures.BOOTSTRAP_SAMPLES)
                    .refitInterval(BenchFeatures.REFIT_INTERVAL);
        }
        return b.topics(topics(job, tag, impressions, engagements))
                .topicPartitions(partitions)
                .tasks(BenchTasks.taskWindows())
                .allowedLateness(BenchTasks.ALLOWED_LATENESS)
                .maxOutOfOrderness(BenchTasks.OUT_OF_ORDERNESS)
                .idleTimeout(idleTimeout)
                .negativeSampleRate(1.0)
                .stateTtl(Duration.ofMinutes(2))
                .stateBackend("hashmap")
                .checkpointInterval(BenchTasks.CHECKPOINT_INTERVAL)
                .checkpointDir(workDir.resolve("checkpoints-" + job + "-" + tag))
                .parallelism(parallelism)
                .groupId("bench-" + job + "-" + tag)
                .transactionalIdPrefix(
                        "bench-" + job + "-" + tag + "-" + System.currentTimeMillis())
                .build();
    }

    static Configuration flinkConfiguration(PipelineConfig config) {
        Configuration conf = PipelineEnvironment.configuration(config, Optional.empty());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.parallelism());
        return conf;
    }
}
