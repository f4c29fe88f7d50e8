package dev.freshet.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import dev.freshet.cli.replay.OpenBanditFiles;
import dev.freshet.cli.replay.OpenBanditReader;
import dev.freshet.cli.replay.ReplayEvent;
import dev.freshet.cli.replay.TimeBase;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.TaskWindows;
import dev.freshet.flink.config.Topics;
import dev.freshet.flink.pipeline.KafkaPipeline;
import dev.freshet.flink.pipeline.PipelineEnvironment;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real traffic end to end: {@code freshet replay --open-bandit} writes the Open Bandit sample to a
 * real broker, the label-join job runs on a local MiniCluster, and every impression comes out as
 * exactly one sample, with click = 1 exactly for the clicked ones.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OpenBanditReplayIT {

    private static final long SEED = 42;
    private static final Duration CLICK_DELAY_MAX = Duration.ofSeconds(5);

    @Test
    void everyImpressionYieldsOneSampleAndClickedOnesCarryClick(
            KafkaBroker kafka, @TempDir Path tmp) throws Exception {
        Path data = openBandit();
        PipelineConfig config =
                PipelineConfig.defaults(kafka.bootstrapServers()).toBuilder()
                        .tasks(
                                new TaskWindows(
                                        TaskWindows.ordered("click", Duration.ofSeconds(10)),
                                        Map.of()))
                        .idleTimeout(Duration.ofSeconds(2))
                        .emptyPartitionTimeout(Duration.ofSeconds(20))
                        .stateBackend("hashmap")
                        .checkpointInterval(Duration.ofSeconds(1))
                        .checkpointDir(tmp.resolve("checkpoints"))
                        .build();

        CliRun replay =
                CliRun.of(
                        "replay",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--open-bandit",
                        data.toString(),
                        "--seed",
                        Long.toString(SEED),
                        "--click-delay-max",
                        "5s");
        assertThat(replay.exitCode()).as(replay.err()).isZero();

        // The same seeded conversion tells which impressions were clicked.
        List<ReplayEvent> events =
                new OpenBanditReader(
                                Topics.DEFAULTS,
                                SEED,
                                CLICK_DELAY_MAX,
                                TimeBase.NOW,
                                Clock.systemUTC())
                        .read(OpenBanditFiles.find(data));
        Set<String> impressions = ids(events, Topics.DEFAULTS.impressions());
        Set<String> clicked = ids(events, Topics.DEFAULTS.engagements());
        assertThat(impressions).hasSize(40_000);
        assertThat(clicked).isNotEmpty().isSubsetOf(impressions);

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PipelineEnvironment.configuration(config, Optional.empty()));
        KafkaPipeline.labelJoin(config).build(env);
        JobClient job = env.executeAsync("open-bandit-e2e");
        List<ConsumerRecord<byte[], byte[]>> records;
        try {
            records =
                    kafka.readCommitted(
                            config.topics().samples(),
                            impressions.size(),
                            Duration.ofMinutes(4),
                            Duration.ofSeconds(3));
        } finally {
            job.cancel().get();
        }

        SampleCodec codec = new SampleCodec();
        Map<String, Integer> count = new HashMap<>();
        Map<String, Integer> click = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Sample s = codec.decode(r.value());
            count.merge(s.impressionId(), 1, Integer::sum);
            click.put(s.impressionId(), s.labels().get("click"));
        }
        assertThat(count.keySet()).containsExactlyInAnyOrderElementsOf(impressions);
        assertThat(count.values()).as("samples per impression").containsOnly(1);
        assertThat(click.entrySet().stream().filter(e -> e.getValue() == 1).map(Map.Entry::getKey))
                .containsExactlyInAnyOrderElementsOf(clicked);
    }

    private static Set<String> ids(List<ReplayEvent> events, String topic) {
        return events.stream()
                .filter(e -> e.topic().equals(topic))
                .map(ReplayEvent::impressionId)
                .collect(Collectors.toSet());
    }

    private static Path openBandit() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/open-bandit");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new org.opentest4j.TestAbortedException(
                "Open Bandit sample not found in shared/data/open-bandit above the working directory");
    }
}
