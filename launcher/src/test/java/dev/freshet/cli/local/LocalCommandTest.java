package dev.freshet.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import dev.freshet.testing.FreePorts;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code freshet local}: flags to the stack's config, and the mistakes refused before starting. */
class LocalCommandTest {

    @TempDir Path tmp;

    @Test
    void defaultsAreTheDocumentedOnes() {
        LocalStackConfig c = config();

        assertThat(c.dir()).isEqualTo(Path.of(".freshet"));
        assertThat(c.ports()).isEqualTo(LocalStackConfig.Ports.DEFAULTS);
        assertThat(c.rate()).isEqualTo(2000);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.delayScale()).isEqualTo(0.1);
        assertThat(c.duration()).isEmpty();
        assertThat(c.configFile()).isEmpty();
    }

    @Test
    void flagsOverrideTheDefaults() {
        LocalStackConfig c =
                config(
                        "--dir", "/tmp/s",
                        "--duration", "10m",
                        "--rate", "50",
                        "--seed", "7",
                        "--port", "19092",
                        "--registry-port", "18080");

        assertThat(c.dir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(c.duration()).contains(Duration.ofMinutes(10));
        assertThat(c.rate()).isEqualTo(50);
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.ports().kafka()).isEqualTo(19092);
        assertThat(c.ports().registry()).isEqualTo(18080);
    }

    @Test
    void aNegativeRateIsAUsageError() {
        CliRun run = CliRun.of("local", "--dir", tmp.toString(), "--rate", "-1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).first().asString().contains("rate");
    }

    @Test
    void twoServicesOnOnePortIsAUsageError() {
        CliRun run = CliRun.of("local", "--dir", tmp.toString(), "--registry-port", "8081");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("every port must differ");
    }

    @Test
    void aBusyPortIsNamedBeforeAnythingStarts() throws IOException {
        int[] free = FreePorts.take(5);
        try (ServerSocket busy = new ServerSocket(0)) {
            CliRun run =
                    CliRun.of(
                            "local",
                            "--dir",
                            tmp.resolve("d").toString(),
                            "--kafka-port",
                            Integer.toString(free[0]),
                            "--controller-port",
                            Integer.toString(free[1]),
                            "--s3-port",
                            Integer.toString(free[2]),
                            "--registry-port",
                            Integer.toString(free[3]),
                            "--metrics-port",
                            Integer.toString(free[4]),
                            "--serving-port",
                            Integer.toString(busy.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains("port " + busy.getLocalPort() + " is in use")
                    .contains("--serving-port");
            assertThat(tmp.resolve("d/kafka")).doesNotExist();
        }
    }

    @Test
    void aSecondStackOnTheSameDirIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        try (FileChannel held =
                        FileChannel.open(
                                dir.resolve(".lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock lock = held.lock()) {
            CliRun run = CliRun.of("local", "--dir", dir.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("another freshet local is running on");
            assertThat(dir.resolve("kafka")).doesNotExist();
        }
    }

    @Test
    void aMistakeInTheConfigIsAUsageErrorNamingTheKeyBeforeAnythingStarts() throws IOException {
        Path dir = tmp.resolve("s");
        for (String yaml :
                List.of("pipeline:\n  taskz: {click: 1m}\n", "trainer:\n  batch_sise: 2\n")) {
            Path config = Files.writeString(tmp.resolve("bad.yaml"), yaml);

            CliRun run = CliRun.of("local", "--dir", dir.toString(), "--config", config.toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).containsAnyOf("taskz", "batch_sise");
            assertThat(dir.resolve("kafka")).doesNotExist();
        }
    }

    @Test
    void aMissingConfigFileIsAUsageError() {
        CliRun run =
                CliRun.of(
                        "local",
                        "--dir",
                        tmp.toString(),
                        "--config",
                        tmp.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("nope.yaml");
    }

    private static LocalStackConfig config(String... args) {
        LocalCommand command = new LocalCommand();
        CommandLine cli = new CommandLine(command);
        cli.parseArgs(args);
        command.spec = cli.getCommandSpec();
        return command.config();
    }

    @Test
    void theConfigRecordRefusesAZeroDuration() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                new LocalStackConfig(
                                        tmp,
                                        LocalStackConfig.Ports.DEFAULTS,
                                        1,
                                        1,
                                        1,
                                        Optional.empty(),
                                        Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
    }
}
