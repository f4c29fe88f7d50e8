package dev.freshet.reliability;

import dev.freshet.features.event.EventLimits;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.Topics;
import dev.freshet.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** A label-join configuration for tests: fresh topics, short windows, heap state. */
final class Pipelines {

    private Pipelines() {}

    static PipelineConfig config(KafkaBroker kafka, Path dir, EventLimits limits) {
        String s = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics("imp-" + s, "eng-" + s, "samples-" + s, "late-" + s, "dlq-" + s);
        kafka.createTopics(
                2,
                topics.impressions(),
                topics.engagements(),
                topics.samples(),
                topics.lateEngagements(),
                topics.deadLetters());
        return PipelineConfig.defaults(kafka.bootstrapServers()).toBuilder()
                .topics(topics)
                .tasks(ValidTraffic.WINDOWS)
                .allowedLateness(Duration.ofSeconds(3))
                .maxOutOfOrderness(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(3))
                .emptyPartitionTimeout(Duration.ofSeconds(30))
                .stateTtl(Duration.ofHours(1))
                .stateBackend("hashmap")
                .checkpointInterval(Duration.ofMillis(500))
                .checkpointDir(dir.resolve("checkpoints"))
                .parallelism(2)
                .groupId("rel-" + s)
                .transactionalIdPrefix("rel-" + s)
                .limits(limits)
                .build();
    }
}
