package dev.freshet.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import dev.freshet.trainer.service.TrainerConfigFile;
import dev.freshet.trainer.service.TrainerServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local defaults, a user's file laid over them, and both readers agreeing on the result. */
class LocalConfigFileTest {

    @TempDir Path tmp;

    @Test
    void theDefaultsAreValidForThePipelineAndTheTrainer() {
        Path file = LocalConfigFile.write(Optional.empty(), tmp.resolve("config.yaml"));

        PipelineConfig p = PipelineConfigFile.load(file, PipelineConfig.defaults("localhost:1"));
        TrainerServiceConfig t = TrainerConfigFile.load(file, tmp.resolve("trainer"));

        assertThat(p.tasks().windowMillis("click")).isEqualTo(30000);
        assertThat(p.tasks().windowMillis("pay")).isEqualTo(120000);
        // Sized so an event is published within its longest window + 30 s (docs/BENCHMARKS.md).
        assertThat(p.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.publishEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.stateDir()).isEqualTo(tmp.resolve("trainer"));
        assertThat(t.model().taskNames()).containsExactly("click", "save", "hide", "pay");
    }

    @Test
    void aUserFileOverridesKeyByKeyAndAddsSections() throws Exception {
        Path user =
                Files.writeString(
                        tmp.resolve("mine.yaml"),
                        """
                        pipeline:
                          tasks: {click: 5s}
                        trainer:
                          publish_every: 8s
                        model:
                          embedding_dim: 8
                        """);

        Path file = LocalConfigFile.write(Optional.of(user), tmp.resolve("config.yaml"));

        PipelineConfig p = PipelineConfigFile.load(file, PipelineConfig.defaults("localhost:1"));
        TrainerServiceConfig t = TrainerConfigFile.load(file, tmp);
        assertThat(p.tasks().windowMillis("click")).isEqualTo(5000);
        // Untouched keys keep the local defaults.
        assertThat(p.tasks().windowMillis("save")).isEqualTo(60000);
        assertThat(p.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.publishEvery()).isEqualTo(Duration.ofSeconds(8));
        assertThat(t.batchSize()).isEqualTo(512);
        assertThat(Files.readString(file)).contains("embedding_dim");
    }

    @Test
    void aFileThatIsNotAMappingIsRefusedByName() throws Exception {
        Path user = Files.writeString(tmp.resolve("list.yaml"), "- a\n- b\n");

        assertThatThrownBy(() -> LocalConfigFile.write(Optional.of(user), tmp.resolve("c.yaml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("list.yaml")
                .hasMessageContaining("mapping");
    }
}
