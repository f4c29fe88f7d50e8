package dev.freshet.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import dev.freshet.cli.replay.OpenBanditData;
import dev.freshet.cli.replay.OpenBanditFiles;
import dev.freshet.cli.replay.OpenBanditReader;
import dev.freshet.cli.replay.ReplayEvent;
import dev.freshet.cli.replay.TimeBase;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.spec.FeatureConfig;
import dev.freshet.features.spec.SparseSpec;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.TaskWindows;
import dev.freshet.flink.config.Topics;
import dev.freshet.flink.pipeline.KafkaPipeline;
import dev.freshet.flink.pipeline.PipelineEnvironment;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
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
 * real broker, the pipeline (label join + feature processing) runs on a local MiniCluster, and
 * every impression comes out as exactly one processed sample, with click = 1 exactly for the
 * clicked ones, dense values in [0, 1) and rare user feature values mapped to OOV.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OpenBanditReplayIT {

    private static final long SEED = 42;
    private static final Duration CLICK_DELAY_MAX = Duration.ofSeconds(5);
    private static final int MIN_COUNT = 5;
    private static final List<String> USER_FEATURES =
            List.of("user_feature_0", "user_feature_1", "user_feature_2", "user_feature_3");
    private static final FeatureConfig FEATURES =
            new FeatureConfig(
                    3,
                    List.of(
                            new FeatureConfig.DenseFeature("propensity_score", 10),
                            new FeatureConfig.DenseFeature("item_feature_0", 10),
                            new FeatureConfig.DenseFeature("user-item_affinity_0", 10)),
                    USER_FEATURES.stream()
                            .map(f -> new FeatureConfig.SparseFeature(f, 64, MIN_COUNT))
                            .toList(),
                    List.of(),
                    Duration.ofHours(1),
                    1,
                    0.9);

    @Test
    void everyImpressionYieldsOneSampleAndClickedOnesCarryClick(
            KafkaBroker kafka, @TempDir Path tmp) throws Exception {
        Path data = OpenBanditData.dir();
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
                        .features(FEATURES)
                        .bootstrapSamples(2_000)
                        .refitInterval(Duration.ofSeconds(1))
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
        // Raw user features per impression, and how often each value occurs in the whole replay.
        EventParser parser = new EventParser(EventLimits.DEFAULTS);
        Map<String, Map<String, String>> userFeatures = new HashMap<>();
        Map<String, Integer> valueCounts = new HashMap<>();
        for (ReplayEvent e : events) {
            if (e.topic().equals(Topics.DEFAULTS.impressions())) {
                Impression imp =
                        ((ParseResult.Ok<Impression>) parser.parseImpression(e.value())).value();
                Map<String, String> values = new HashMap<>();
                for (String f : USER_FEATURES) {
                    String v = imp.features().sparse().get(f).get(0);
                    values.put(f, v);
                    valueCounts.merge(f + "=" + v, 1, Integer::sum);
                }
                userFeatures.put(imp.impressionId(), values);
            }
        }
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
        int rareSeen = 0;
        int frequentIds = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Sample s = codec.decode(r.value());
            count.merge(s.impressionId(), 1, Integer::sum);
            click.put(s.impressionId(), s.labels().get("click"));
            assertThat(s.specVersion()).isNotEqualTo(Sample.RAW_SPEC);
            assertThat(s.dense().values()).allSatisfy(v -> assertThat(v).isBetween(0f, 0.999f));
            for (String f : USER_FEATURES) {
                long id = s.sparse().get(f)[0];
                String value = userFeatures.get(s.impressionId()).get(f);
                if (valueCounts.get(f + "=" + value) < MIN_COUNT) {
                    rareSeen++;
                    assertThat(id).as("%s=%s is rare", f, value).isEqualTo(SparseSpec.OOV);
                } else if (id != SparseSpec.OOV) {
                    frequentIds++;
                }
            }
        }
        assertThat(rareSeen).as("impressions with a rare user feature value").isPositive();
        assertThat(frequentIds).isGreaterThan(100_000);
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
}
