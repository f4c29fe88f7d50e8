package dev.freshet.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.flink.config.PipelineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where pipeline settings come from: defaults, then the config file, then flags. */
class PipelineCommandTest {

    @TempDir Path tmp;

    @Test
    void defaultsApplyWithoutAConfigFile() {
        PipelineConfig config = config("--bootstrap-servers", "k:9092");

        assertThat(config).isEqualTo(PipelineConfig.defaults("k:9092"));
    }

    @Test
    void fileOverridesDefaultsAndFlagsOverrideTheFile() throws IOException {
        Path file =
                Files.writeString(
                        tmp.resolve("freshet.yaml"),
                        String.join(
                                "\n",
                                "pipeline:",
                                "  bootstrap_servers: from-file:9092",
                                "  allowed_lateness: 7m",
                                "  checkpoint_dir: " + tmp.resolve("file-checkpoints"),
                                "  parallelism: 3",
                                ""));

        PipelineConfig config =
                config(
                        "--bootstrap-servers",
                        "flag:9092",
                        "--config",
                        file.toString(),
                        "--checkpoint-dir",
                        tmp.resolve("flag-checkpoints").toString());

        assertThat(config.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(7));
        assertThat(config.checkpointDir()).isEqualTo(tmp.resolve("flag-checkpoints"));
        assertThat(config.parallelism()).isEqualTo(3);
        assertThat(
                        config(
                                        "--bootstrap-servers",
                                        "flag:9092",
                                        "--config",
                                        file.toString(),
                                        "--parallelism",
                                        "2")
                                .parallelism())
                .isEqualTo(2);
    }

    private static PipelineConfig config(String... args) {
        PipelineCommand command = new PipelineCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
