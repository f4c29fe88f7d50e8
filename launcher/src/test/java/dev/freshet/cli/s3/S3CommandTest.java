package dev.freshet.cli.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshet s3} usage errors and failures that never get as far as serving. */
class S3CommandTest {

    @TempDir Path tmp;

    @Test
    void hasHelp() {
        CliRun run = CliRun.of("s3", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: freshet s3").contains("--secret-key-file");
        assertThat(CliRun.of("--help").out()).contains("s3");
    }

    @Test
    void aPortOutOfRangeIsBadUsage() {
        assertUsageError(
                CliRun.of("s3", "--dir", tmp.toString(), "--port", "0"),
                "freshet s3: --port must be in 1..65535, got 0");
        assertUsageError(
                CliRun.of("s3", "--dir", tmp.toString(), "--port", "65536"),
                "freshet s3: --port must be in 1..65535");
        assertUsageError(
                CliRun.of("s3", "--dir", tmp.toString(), "--port", "nine"),
                "freshet s3: Invalid value for option '--port'");
    }

    @Test
    void theDirectoryIsRequiredAndMustBeADirectory() throws IOException {
        assertUsageError(CliRun.of("s3"), "freshet s3: Missing required option: '--dir");

        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertUsageError(
                CliRun.of("s3", "--dir", file.toString(), "--port", "9000"),
                "freshet s3: --dir: not a directory");
    }

    @Test
    void bucketNamesAreChecked() {
        assertUsageError(
                CliRun.of("s3", "--dir", tmp.toString(), "--bucket", "Models_1"),
                "freshet s3: --bucket: 'Models_1' is not a bucket name");
    }

    @Test
    void anAccessKeyNeedsItsSecretFile() {
        assertUsageError(
                CliRun.of("s3", "--dir", tmp.toString(), "--access-key", "AKID"),
                "freshet s3: --access-key and --secret-key-file go together");
        assertUsageError(
                CliRun.of(
                        "s3",
                        "--dir",
                        tmp.toString(),
                        "--access-key",
                        "AKID",
                        "--secret-key-file",
                        tmp.resolve("missing").toString()),
                "freshet s3: --secret-key-file: no readable file");
    }

    @Test
    void aPortInUseIsAFailureWithOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run =
                    CliRun.of(
                            "s3",
                            "--dir",
                            tmp.resolve("s3").toString(),
                            "--host",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(taken.getLocalPort()));

            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).startsWith("freshet s3: cannot listen on 127.0.0.1:");
            assertThat(run.out()).isEmpty();
        }
    }

    private static void assertUsageError(CliRun run, String start) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).as("one line on stderr").hasSize(1);
        assertThat(run.err()).contains(start);
        assertThat(run.out()).isEmpty();
    }
}
