package dev.freshet.cli.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freshet.cli.FreshetCli;
import dev.freshet.store.ObjectStoreException;
import dev.freshet.store.S3Credentials;
import dev.freshet.store.S3Env;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code freshet s3} run in this JVM through the real command line: clients write through {@link
 * S3ObjectStore} with the credentials it generated, and the data and the credentials survive a
 * restart on the same directory.
 */
class S3CommandIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path tmp;

    private final ExecutorService runner = Executors.newCachedThreadPool();

    @AfterEach
    void stopRunner() {
        runner.shutdownNow();
    }

    @Test
    void generatesCredentialsOnceAndKeepsDataAcrossRestarts() throws Exception {
        // The environment's keys would win over the generated file.
        assumeTrue(
                S3Credentials.fromEnvironment(S3Env.system()).isEmpty(),
                "S3 credentials set in the environment");
        Path dir = tmp.resolve("s3-data");
        int port = freePort();
        Path credentialsFile = dir.resolve(".freshet-s3-credentials");

        Server first = start("--dir", dir.toString(), "--port", "" + port, "--bucket", "models");
        assertThat(first.outLines())
                .containsExactly(
                        "credentials: in " + credentialsFile + " (generated now)",
                        "buckets: models",
                        "S3 ready on http://localhost:" + port);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentialsFile)))
                .isEqualTo("rw-------");
        S3Credentials generated = S3Credentials.readFile(credentialsFile).orElseThrow();
        assertThat(first.out() + first.err()).doesNotContain(generated.secretKey());

        byte[] manifest = "{\"version\": 1}".getBytes(UTF_8);
        try (S3ObjectStore store = store(port, credentialsFile)) {
            assertThat(store.putIfAbsent("models/ctr/versions/1/manifest.json", manifest, null))
                    .isTrue();
            store.put("models/ctr/versions/1/model.pt", new byte[] {1, 2, 3}, null);
        }
        assertThat(first.stop()).isZero();
        assertThat(LocalS3.bucketsDir(dir).resolve("models/models/ctr/versions/1/model.pt"))
                .as("objects are files under DIR/buckets/BUCKET")
                .exists();

        Server second = start("--dir", dir.toString(), "--port", "" + port, "--bucket", "models");
        assertThat(second.outLines())
                .contains("credentials: in " + credentialsFile)
                .doesNotContain("credentials: in " + credentialsFile + " (generated now)");
        assertThat(S3Credentials.readFile(credentialsFile)).contains(generated);
        try (S3ObjectStore store = store(port, credentialsFile)) {
            assertThat(store.get("models/ctr/versions/1/manifest.json")).contains(manifest);
            assertThat(store.list("models/ctr/"))
                    .containsExactly(
                            "models/ctr/versions/1/manifest.json",
                            "models/ctr/versions/1/model.pt");
            assertThat(store.putIfAbsent("models/ctr/versions/1/manifest.json", manifest, null))
                    .as("the manifest is there after the restart")
                    .isFalse();
        }
        assertThat(second.stop()).isZero();
    }

    @Test
    void givenCredentialsAreRequiredAndNotWrittenToTheDirectory() throws Exception {
        Path dir = tmp.resolve("s3-given");
        Path secretFile = Files.writeString(tmp.resolve("secret"), "given-secret-123\n");
        int port = freePort();

        Server server =
                start(
                        "--dir",
                        dir.toString(),
                        "--port",
                        "" + port,
                        "--bucket",
                        "models",
                        "--access-key",
                        "GIVENKEY",
                        "--secret-key-file",
                        secretFile.toString());
        assertThat(server.outLines())
                .contains("credentials: --access-key and the secret in " + secretFile);
        assertThat(dir.resolve(".freshet-s3-credentials")).doesNotExist();

        S3Env none = S3Env.of(Map.of());
        String endpoint = "http://localhost:" + port;
        try (S3ObjectStore good =
                        new S3ObjectStore(
                                S3Settings.resolve(
                                        endpoint,
                                        "models",
                                        null,
                                        "GIVENKEY",
                                        "given-secret-123",
                                        null,
                                        none));
                S3ObjectStore bad =
                        new S3ObjectStore(
                                S3Settings.resolve(
                                        endpoint,
                                        "models",
                                        null,
                                        "GIVENKEY",
                                        "wrong",
                                        null,
                                        none))) {
            good.put("k", new byte[] {1}, null);
            assertThat(good.exists("k")).isTrue();
            assertThatThrownBy(() -> bad.get("k"))
                    .isInstanceOfSatisfying(
                            ObjectStoreException.class, e -> assertThat(e.unavailable()).isFalse());
        }
        assertThat(server.stop()).isZero();
    }

    private static S3ObjectStore store(int port, Path credentialsFile) {
        // The file alone, as another process would find it: no keys in the environment.
        return new S3ObjectStore(
                S3Settings.resolve(
                        "http://localhost:" + port,
                        "models",
                        null,
                        null,
                        null,
                        credentialsFile,
                        S3Env.of(Map.of())));
    }

    /** Runs {@code freshet ARGS} on a thread, as main would, until it prints its ready line. */
    private Server start(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FreshetCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        S3Command command = cli.getSubcommands().get("s3").getCommand();
        String[] full = new String[args.length + 1];
        full[0] = "s3";
        System.arraycopy(args, 0, full, 1, args.length);
        Future<Integer> exit = runner.submit(() -> cli.execute(full));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!out.toString().contains("S3 ready on")) {
            if (exit.isDone()) {
                throw new AssertionError(
                        "s3 exited with " + exit.get() + " before it was ready: " + err);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("s3 not ready within " + READY_TIMEOUT + ": " + err);
            }
            Thread.sleep(20);
        }
        return new Server(command, exit, out, err);
    }

    private record Server(
            S3Command command, Future<Integer> exit, StringWriter outText, StringWriter errText) {

        String out() {
            return outText.toString();
        }

        String err() {
            return errText.toString();
        }

        List<String> outLines() {
            return out().lines().filter(l -> !l.isBlank()).toList();
        }

        /** Stops it as Ctrl-C would; the exit code. */
        int stop() throws Exception {
            command.stop();
            return exit.get(60, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
