package dev.freshet.flink.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.flink.config.PipelineConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;

/** Where checkpoints go: the pipeline's directory locally, the cluster's storage on a cluster. */
class PipelineEnvironmentTest {

    private static final PipelineConfig CONFIG =
            PipelineConfig.defaults("kafka:9092").toBuilder()
                    .checkpointDir(Path.of("/opt/flink/checkpoints"))
                    .stateBackend("rocksdb")
                    .build();

    @Test
    void locallyCheckpointsGoToThePipelinesDirectory() {
        Configuration conf = PipelineEnvironment.configuration(CONFIG, Optional.empty());

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///opt/flink/checkpoints");
    }

    @Test
    void aClusterThatNamesItsStorageWinsAndExactlyOnceStays() {
        Configuration cluster = new Configuration();
        cluster.setString("execution.checkpointing.dir", "s3://freshet/flink/checkpoints");
        cluster.setString("execution.checkpointing.savepoint-dir", "s3://freshet/flink/savepoints");
        cluster.setString("state.backend.type", "hashmap");

        Configuration conf = PipelineEnvironment.onCluster(CONFIG, cluster);

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("s3://freshet/flink/checkpoints");
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
                .isEqualTo("s3://freshet/flink/savepoints");
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE).name())
                .isEqualTo("EXACTLY_ONCE");
    }

    @Test
    void aClusterThatSaysNothingLeavesThePipelinesDirectory() {
        Configuration conf = PipelineEnvironment.onCluster(CONFIG, new Configuration());

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///opt/flink/checkpoints");
    }
}
