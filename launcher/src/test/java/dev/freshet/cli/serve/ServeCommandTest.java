package dev.freshet.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import dev.freshet.serving.ServingConfig;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code freshet serve}: flags to the replica's config, and the usage errors. */
class ServeCommandTest {

    @Test
    void defaultsFollowLatestOfTheDefaultModel() {
        ServingConfig c = config("--registry", "http://registry:8080");

        assertThat(c.registry()).isEqualTo(URI.create("http://registry:8080"));
        assertThat(c.watcher().model()).isEqualTo("ranking");
        assertThat(c.watcher().alias()).isEqualTo("latest");
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.watcher().workDir()).isEqualTo(Path.of("freshet-data", "serving"));
    }

    @Test
    void flagsOverrideTheDefaults() {
        ServingConfig c =
                config(
                        "--registry", "http://r:1",
                        "--model", "m2",
                        "--alias", "production",
                        "--port", "0",
                        "--work-dir", "/tmp/x");

        assertThat(c.watcher().model()).isEqualTo("m2");
        assertThat(c.watcher().alias()).isEqualTo("production");
        assertThat(c.port()).isZero();
        assertThat(c.watcher().workDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void theRegistryIsRequired() {
        CliRun run = CliRun.of("serve");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--registry");
    }

    private static ServingConfig config(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
