package dev.freshet.flink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.features.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigFileTest {

    private static final PipelineConfig BASE = PipelineConfig.defaults("localhost:9092");

    @TempDir Path dir;

    @Test
    void overlaysTheFileOnTheDefaults() throws IOException {
        PipelineConfig c =
                load(
                        """
                pipeline:
                  tasks: {click: 30s, pay: 2m}
                  engagement_types: {purchase: pay}
                  allowed_lateness: 10s
                  negative_sample_rate: 0.25
                  state_backend: hashmap
                  topics: {samples: my-samples}
                  max_record_bytes: 2048
                """);
        assertThat(c.tasks().tasks()).containsExactly("click", "pay");
        assertThat(c.tasks().windowMillis("pay")).isEqualTo(120_000);
        assertThat(c.tasks().taskOf("purchase")).isEqualTo("pay");
        assertThat(c.allowedLateness()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.negativeSampleRate()).isEqualTo(0.25);
        assertThat(c.topics().samples()).isEqualTo("my-samples");
        assertThat(c.topics().impressions()).isEqualTo("impressions");
        assertThat(c.limits().maxRecordBytes()).isEqualTo(2048);
        assertThat(c.checkpointInterval()).isEqualTo(BASE.checkpointInterval());
    }

    @Test
    void aFeaturesSectionTurnsOnFeatureProcessing() throws IOException {
        PipelineConfig c =
                load(
                        """
                        pipeline: {refit_interval: 5s, bootstrap_samples: 100}
                        features:
                          dense: {price: {buckets: 8}}
                          sparse: {city: {min_count: 3}}
                        """);
        assertThat(c.features()).isNotNull();
        assertThat(c.features().dense()).extracting(d -> d.name()).containsExactly("price");
        assertThat(c.refitInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.bootstrapSamples()).isEqualTo(100);
        assertThat(BASE.features()).isNull();
        assertError("features: {dense: {price: {bukets: 8}}}\n", "features.dense.price.bukets");
    }

    @Test
    void aFileWithoutAPipelineSectionChangesNothing() throws IOException {
        assertThat(load("trainer: {batch_size: 512}\n")).isEqualTo(BASE);
    }

    @Test
    void errorsNameTheOffendingKey() {
        assertError("pipeline:\n  alowed_lateness: 5s\n", "pipeline.alowed_lateness: unknown key");
        assertError(
                "pipeline:\n  allowed_lateness: 5x\n",
                "pipeline.allowed_lateness: cannot parse '5x'");
        assertError("pipeline:\n  tasks: {click: soon}\n", "pipeline.tasks.click");
        assertError(
                "pipeline:\n  engagement_types: {buy: purchase}\n",
                "engagement_types.buy: unknown task");
        assertError(
                "pipeline:\n  negative_sample_rate: 0\n",
                "negative_sample_rate: must be in (0, 1]");
        assertError(
                "pipeline:\n  state_backend: memory\n",
                "state_backend: must be hashmap or rocksdb");
        assertError("pipeline:\n  parallelism: two\n", "pipeline.parallelism: expected an integer");
        assertError("pipeline:\n  topics: {sample: x}\n", "pipeline.topics.sample: unknown key");
        assertError("pipeline:\n  tasks: {click: 0s}\n", "tasks.click: window must be positive");
        String tooMany =
                java.util.stream.IntStream.range(0, 32)
                        .mapToObj(i -> "t" + i + ": 1m")
                        .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
        assertError("pipeline:\n  tasks: " + tooMany + "\n", "tasks: at most 31 tasks, got 32");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    }

    private PipelineConfig load(String yaml) throws IOException {
        Path file = dir.resolve("freshet.yaml");
        Files.writeString(file, yaml);
        return PipelineConfigFile.load(file, BASE);
    }

    private void assertError(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }
}
