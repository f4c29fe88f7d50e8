package dev.freshet.flink.join;

import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import dev.freshet.flink.kafka.TopicBootstrap;
import dev.freshet.flink.pipeline.KafkaPipeline;
import dev.freshet.flink.pipeline.PipelineEnvironment;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the shaded job jar on a Flink cluster: {@code flink run freshet-flink-jobs-job.jar
 * --bootstrap-servers H:P [--config FILE]}. Cluster settings (checkpoint storage, state backend)
 * from the cluster's own config win where set.
 */
public final class LabelJoinMain {

    private LabelJoinMain() {}

    /** The cluster's config (FLINK_CONF_DIR, as the Flink image and operator set it), if any. */
    private static Configuration clusterConfiguration() {
        try {
            return GlobalConfiguration.loadConfiguration();
        } catch (RuntimeException e) {
            return new Configuration();
        }
    }

    public static void main(String[] args) throws Exception {
        String servers = null;
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-servers" -> servers = args[++i];
                case "--config" -> configFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (servers == null) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        PipelineConfig config = PipelineConfig.defaults(servers);
        if (configFile != null) {
            config = PipelineConfigFile.load(configFile, config).withBootstrapServers(servers);
        }
        TopicBootstrap.ensure(config);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PipelineEnvironment.onCluster(config, clusterConfiguration()));
        KafkaPipeline.labelJoin(config).build(env);
        env.execute("freshet-label-join");
    }
}
