package dev.freshet.cli.kafka;

import dev.freshet.cli.exception.CommandException;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.Topics;
import dev.freshet.flink.kafka.TopicBootstrap;
import java.time.Duration;
import java.util.List;

/** Gets Kafka ready for a command that writes input events (replay, simulate). */
public final class InputTopics {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private InputTopics() {}

    /**
     * The broker answers, the pipeline's topics exist with its partitioning, and the input topics
     * take writes.
     */
    public static void prepare(String bootstrapServers, Topics topics) {
        KafkaReachability.require(bootstrapServers, CONNECT_TIMEOUT);
        try {
            TopicBootstrap.ensure(PipelineConfig.defaults(bootstrapServers));
        } catch (IllegalStateException e) {
            throw new CommandException(e.getMessage(), e);
        }
        TopicReadiness.awaitWritable(
                bootstrapServers,
                List.of(topics.impressions(), topics.engagements()),
                READY_TIMEOUT);
    }
}
