package dev.freshet.flink.pipeline;

import dev.freshet.flink.config.PipelineConfig;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;

/** The Flink configuration the pipeline needs for exactly-once output and recovery. */
public final class PipelineEnvironment {

    private PipelineEnvironment() {}

    /**
     * @param restoreFrom a retained checkpoint to resume from, if any
     */
    public static Configuration configuration(PipelineConfig config, Optional<String> restoreFrom) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        // Filesystem storage: the default JobManager storage caps state at 5 MB.
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                config.checkpointDir().toAbsolutePath().toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        conf.set(
                CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                Duration.ofMillis(Math.min(1000, config.checkpointInterval().toMillis() / 2)));
        conf.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        if (config.stateBackend().equals("rocksdb")) {
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        // Input can't fail the job (bad records become dead letters), so restarts are for broker
        // or machine trouble, which comes and goes for as long as the job runs: a fixed budget of
        // attempts would let ten broker restarts over a month end the job. Backing off to a
        // minute keeps a long outage from spinning; the backoff resets after an hour of health.
        // A job that keeps failing shows in Flink's numRestarts and the samples' freshness.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofSeconds(1));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofMinutes(1));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                Duration.ofHours(1));
        conf.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
        // Operators never mutate their inputs, so chained operators may share objects.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // Every type has a Flink serializer; Kryo fallbacks would be slow and fragile across
        // versions.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(200));
        restoreFrom.ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        return conf;
    }

    /**
     * The job's configuration on a cluster: where the cluster's own configuration names the
     * checkpoint and savepoint storage or the state backend (a Flink operator writes them from the
     * FlinkDeployment, e.g. checkpoints on S3), those win over the pipeline config's local
     * directory; everything exactly-once needs stays as {@link #configuration} sets it.
     */
    public static Configuration onCluster(PipelineConfig config, Configuration cluster) {
        Configuration conf = configuration(config, Optional.empty());
        clusterWins(conf, cluster, CheckpointingOptions.CHECKPOINT_STORAGE);
        clusterWins(conf, cluster, CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        clusterWins(conf, cluster, CheckpointingOptions.SAVEPOINT_DIRECTORY);
        clusterWins(conf, cluster, StateBackendOptions.STATE_BACKEND);
        return conf;
    }

    private static <T> void clusterWins(
            Configuration job, Configuration cluster, ConfigOption<T> option) {
        cluster.getOptional(option).ifPresent(v -> job.set(option, v));
    }
}
