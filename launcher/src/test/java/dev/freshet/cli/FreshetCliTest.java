package dev.freshet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit codes and messages people and scripts rely on; none of these needs a broker. */
class FreshetCliTest {

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"kafka", "replay", "samples", "pipeline"})
    void everyCommandHasHelp(String command) {
        CliRun run = CliRun.of(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: freshet " + command);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsTheCommands() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("kafka", "replay", "samples", "pipeline");
    }

    @Test
    void versionIsTheProjectVersion() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("freshet ").doesNotContain("unknown");
    }

    @Test
    void noCommandIsBadUsage() {
        assertUsageError(CliRun.of(), "freshet: missing command");
    }

    @Test
    void unknownOptionIsBadUsage() {
        assertUsageError(
                CliRun.of("samples", "--bootstrap-servers", "x:1", "--bogus"),
                "freshet samples: Unknown option: '--bogus'");
    }

    @Test
    void missingRequiredOptionIsBadUsage() {
        assertUsageError(
                CliRun.of("samples"),
                "freshet samples: Missing required option: '--bootstrap-servers");
    }

    @Test
    void replayNeedsExactlyOneSource() {
        assertUsageError(
                CliRun.of("replay", "--bootstrap-servers", "x:1"),
                "freshet replay: Error: Missing");
        assertUsageError(
                CliRun.of(
                        "replay",
                        "--bootstrap-servers",
                        "x:1",
                        "--jsonl",
                        "a",
                        "--open-bandit",
                        "b"),
                "mutually exclusive");
    }

    @Test
    void replayOfAMissingFileIsBadUsage() {
        assertUsageError(
                CliRun.of(
                        "replay",
                        "--bootstrap-servers",
                        "x:1",
                        "--jsonl",
                        tmp.resolve("nope.jsonl").toString()),
                "freshet replay: --jsonl: no readable file");
    }

    @Test
    void replayOfADirectoryWithoutLogsIsBadUsage() {
        assertUsageError(
                CliRun.of("replay", "--bootstrap-servers", "x:1", "--open-bandit", tmp.toString()),
                "freshet replay: --open-bandit: no logs under");
    }

    @Test
    void badDurationIsBadUsage() {
        assertUsageError(
                CliRun.of("samples", "--bootstrap-servers", "x:1", "--timeout", "5 parsecs"),
                "freshet samples: Invalid value for option '--timeout': cannot parse '5 parsecs'");
    }

    @Test
    void badTimeBaseIsBadUsage() {
        assertUsageError(
                CliRun.of(
                        "replay",
                        "--bootstrap-servers",
                        "x:1",
                        "--jsonl",
                        "f",
                        "--time-base",
                        "yesterday"),
                "freshet replay: Invalid value for option '--time-base'");
    }

    @Test
    void negativeLimitIsBadUsage() throws IOException {
        Path file = Files.writeString(tmp.resolve("e.jsonl"), "{}\n");
        assertUsageError(
                CliRun.of(
                        "replay",
                        "--bootstrap-servers",
                        "x:1",
                        "--jsonl",
                        file.toString(),
                        "--limit",
                        "-1"),
                "--limit must not be negative");
    }

    @Test
    void kafkaPortsMustDiffer() {
        assertUsageError(
                CliRun.of(
                        "kafka",
                        "--dir",
                        tmp.toString(),
                        "--port",
                        "9092",
                        "--controller-port",
                        "9092"),
                "freshet kafka: --port and --controller-port must differ");
    }

    @Test
    void pipelineConfigWithAnUnknownKeyIsBadUsage() throws IOException {
        Path config =
                Files.writeString(
                        tmp.resolve("freshet.yaml"), "pipeline:\n  allowed_latenes: 5m\n");

        assertUsageError(
                CliRun.of("pipeline", "--bootstrap-servers", "x:1", "--config", config.toString()),
                "freshet pipeline: pipeline.allowed_latenes: unknown key");
    }

    @Test
    void pipelineConfigThatDoesNotExistIsBadUsage() {
        assertUsageError(
                CliRun.of(
                        "pipeline",
                        "--bootstrap-servers",
                        "x:1",
                        "--config",
                        tmp.resolve("no.yaml").toString()),
                "freshet pipeline: cannot read config");
    }

    @Test
    void unreachableKafkaIsAFailureWithOneLine() {
        // Port 1 on localhost: connection refused at once, nothing listens there.
        CliRun run = CliRun.of("samples", "--bootstrap-servers", "localhost:1", "--timeout", "2s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err())
                .startsWith("freshet samples: no Kafka broker answered at localhost:1");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void verbosePrintsTheStackTraceToo() {
        CliRun run =
                CliRun.of(
                        "samples",
                        "--verbose",
                        "--bootstrap-servers",
                        "localhost:1",
                        "--timeout",
                        "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("\tat dev.freshet.cli.kafka.KafkaReachability");
        assertThat(run.errLines().get(run.errLines().size() - 1))
                .startsWith("freshet samples: no Kafka broker");
    }

    private static void assertUsageError(CliRun run, String start) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).as("one line on stderr").hasSize(1);
        assertThat(run.err()).contains(start);
        assertThat(run.out()).isEmpty();
    }
}
