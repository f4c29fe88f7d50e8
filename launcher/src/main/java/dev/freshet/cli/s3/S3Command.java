package dev.freshet.cli.s3;

import dev.freshet.store.S3Credentials;
import dev.freshet.store.S3Env;
import dev.freshet.store.S3Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code freshet s3}: an S3 server (S3Proxy) on a directory in this process, until stopped. */
@Command(
        name = "s3",
        mixinStandardHelpOptions = true,
        description = {
            "Run an S3 server (S3Proxy, filesystem blob store) on a directory until stopped"
                    + " (Ctrl-C or SIGTERM shut it down cleanly). Buckets live under DIR/buckets.",
            "Credentials: --access-key with --secret-key-file, else FRESHET_S3_ACCESS_KEY and"
                    + " FRESHET_S3_SECRET_KEY (then AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY),"
                    + " else DIR/"
                    + S3Command.CREDENTIALS_FILE
                    + ", generated on first start (owner-only) and reused by later starts and by"
                    + " clients (FRESHET_S3_CREDENTIALS_FILE). The secret is never printed.",
            "Prints where the credentials are, then 'S3 ready on http://HOST:PORT' on stdout once"
                    + " clients can connect."
        })
public final class S3Command implements Callable<Integer> {

    /** Under {@code --dir}: the generated credentials, a properties file. */
    public static final String CREDENTIALS_FILE = ".freshet-s3-credentials";

    private static final Logger LOG = LoggerFactory.getLogger(S3Command.class);

    @Spec CommandSpec spec;

    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "Directory for the buckets and the generated credentials.")
    Path dir;

    @Option(
            names = "--port",
            defaultValue = "9000",
            description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "localhost",
            description = "Host to bind and print in the endpoint (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--bucket",
            paramLabel = "BUCKET",
            description = "Create this bucket at start unless it exists; repeatable.")
    List<String> buckets = new ArrayList<>();

    @Option(
            names = "--access-key",
            paramLabel = "KEY",
            description = "Access key clients sign with; needs --secret-key-file.")
    String accessKey;

    @Option(
            names = "--secret-key-file",
            paramLabel = "FILE",
            description = "File whose content is the secret key for --access-key.")
    Path secretKeyFile;

    private volatile LocalS3 server;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        Credentials credentials = credentials();
        LocalS3 started = LocalS3.start(dir, host, port, credentials.value(), buckets);
        server = started;
        Thread hook = new Thread(started::close, "freshet-s3-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // One write, the ready line last: whoever waits for it has the others too.
        StringBuilder text = new StringBuilder();
        text.append("credentials: ").append(credentials.source()).append(System.lineSeparator());
        if (!buckets.isEmpty()) {
            text.append("buckets: ")
                    .append(String.join(", ", buckets))
                    .append(System.lineSeparator());
        }
        text.append("S3 ready on ").append(started.endpoint()).append(System.lineSeparator());
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        LOG.info("S3 data in {}; stop with Ctrl-C", LocalS3.bucketsDir(dir.toAbsolutePath()));
        try {
            started.awaitShutdown();
        } finally {
            removeHook(hook);
        }
        return 0;
    }

    /** Stops a running command as Ctrl-C would; {@link #call()} then returns 0. */
    public void stop() {
        LocalS3 running = server;
        if (running != null) {
            running.close();
        }
    }

    private void validate() {
        if (port < 1 || port > 65535) {
            throw usage("--port must be in 1..65535, got " + port);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw usage("--dir: not a directory: " + dir);
        }
        for (String bucket : buckets) {
            if (!S3Settings.isValidBucket(bucket)) {
                throw usage(
                        "--bucket: '"
                                + bucket
                                + "' is not a bucket name (3-63 lowercase letters, digits, '.',"
                                + " '-')");
            }
        }
        if ((accessKey == null) != (secretKeyFile == null)) {
            throw usage("--access-key and --secret-key-file go together");
        }
    }

    /** The credentials to require, and where they came from (for people, never the secret). */
    private record Credentials(S3Credentials value, String source) {}

    private Credentials credentials() {
        if (accessKey != null) {
            return new Credentials(
                    new S3Credentials(accessKey, readSecret(secretKeyFile)),
                    "--access-key and the secret in " + secretKeyFile);
        }
        S3Env env = S3Env.system();
        Optional<S3Credentials> fromEnv;
        try {
            fromEnv = S3Credentials.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (fromEnv.isPresent()) {
            String vars =
                    env.get(S3Env.ACCESS_KEY).isPresent()
                            ? S3Env.ACCESS_KEY + " and " + S3Env.SECRET_KEY
                            : S3Env.AWS_ACCESS_KEY + " and " + S3Env.AWS_SECRET_KEY;
            return new Credentials(fromEnv.get(), "from " + vars);
        }
        Path file = dir.toAbsolutePath().normalize().resolve(CREDENTIALS_FILE);
        Optional<S3Credentials> kept;
        try {
            kept = S3Credentials.readFile(file);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage() + " (fix or delete it to generate new ones)");
        }
        if (kept.isPresent()) {
            return new Credentials(kept.get(), "in " + file);
        }
        S3Credentials generated = S3Credentials.generate();
        generated.writeFile(file);
        LOG.info("Generated S3 credentials in {}", file);
        return new Credentials(generated, "in " + file + " (generated now)");
    }

    private String readSecret(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw usage("--secret-key-file: no readable file " + file);
        }
        try {
            String secret = Files.readString(file).strip();
            if (secret.isEmpty() || secret.contains("\n")) {
                throw usage("--secret-key-file: " + file + " must hold the secret key alone");
            }
            return secret;
        } catch (IOException e) {
            throw usage("--secret-key-file: cannot read " + file + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running or has run.
        }
    }
}
