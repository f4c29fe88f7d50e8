package dev.freshet.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freshet.testing.Checkout;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose config} accepts docker-compose.yml, with and without the gpu profile, and
 * refuses it without a registry token. Needs only the docker-compose command (no engine); skips,
 * naming it, where there is none ({@code .ci/run} installs Debian's).
 */
class ComposeConfigTest {

    private static final String TOOL = "docker-compose";

    @BeforeAll
    static void needsDockerCompose() {
        boolean onPath =
                List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                        .map(dir -> Path.of(dir, TOOL))
                        .anyMatch(Files::isExecutable);
        assumeTrue(onPath, TOOL + " is not on PATH (apt-get install docker-compose); skipped");
    }

    @Test
    void configAcceptsTheFile() throws Exception {
        Result r = config(ComposeFileTest.ENV);

        assertThat(r.exit()).as("exit of docker-compose config; stderr: %s", r.err()).isZero();
        Map<String, Object> resolved = RepoFiles.yaml(r.out());
        assertThat(ComposeFile.of(resolved).services().keySet())
                .containsAll(ComposeFile.load(ComposeFileTest.ENV).services().keySet());
    }

    @Test
    void configAcceptsTheGpuProfile() throws Exception {
        Result r = config(ComposeFileTest.ENV, "--profile", "gpu");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        ComposeFile resolved = ComposeFile.of(RepoFiles.yaml(r.out()));
        assertThat(resolved.gpuDrivers("trainer-gpu")).contains("nvidia");
    }

    @Test
    void configRefusesToRunWithoutARegistryToken() throws Exception {
        Result r = config(Map.of());

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("FRESHET_REGISTRY_TOKEN");
    }

    private record Result(int exit, String out, String err) {}

    /** docker-compose [args] config, with {@code env} over this environment minus Freshet's. */
    private static Result config(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(TOOL, "-f", "docker-compose.yml"));
        command.addAll(List.of(args));
        command.add("config");
        ProcessBuilder pb = new ProcessBuilder(command).directory(Checkout.ROOT.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FRESHET_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("compose-config", ".yml");
        Path err = Files.createTempFile("compose-config", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(TOOL + " config did not finish in 60 s");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
