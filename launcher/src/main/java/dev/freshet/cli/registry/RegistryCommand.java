package dev.freshet.cli.registry;

import dev.freshet.registry.RegistryConfig;
import dev.freshet.registry.RegistryServer;
import dev.freshet.registry.RegistryToken;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code freshet registry}: the model registry REST service, until stopped. */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = {
            "Run the model registry over a bucket: versions, aliases, MLflow-compatible API and a"
                    + " web page at /. Stateless: run as many as you like against one bucket.",
            "S3 credentials: FRESHET_S3_ACCESS_KEY/FRESHET_S3_SECRET_KEY,"
                    + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or --s3-credentials-file.",
            "Write token: FRESHET_REGISTRY_TOKEN or the file named by FRESHET_REGISTRY_TOKEN_FILE;"
                    + " without one every write is refused."
        })
public final class RegistryCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryCommand.class);

    @Option(
            names = "--s3-endpoint",
            required = true,
            paramLabel = "URL",
            description = "Object store endpoint, e.g. http://localhost:9000.")
    String s3Endpoint;

    @Option(
            names = "--bucket",
            required = true,
            paramLabel = "BUCKET",
            description = "Bucket the trainer publishes to.")
    String bucket;

    @Option(
            names = "--s3-credentials-file",
            paramLabel = "FILE",
            description = "Properties file with access_key and secret_key.")
    Path credentialsFile;

    @Option(
            names = "--port",
            defaultValue = "8080",
            paramLabel = "PORT",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(
            names = "--refresh",
            defaultValue = "1s",
            paramLabel = "DURATION",
            converter = dev.freshet.cli.DurationConverter.class,
            description = "How often to re-read the bucket (default: ${DEFAULT-VALUE}).")
    Duration refresh;

    @Override
    public Integer call() throws Exception {
        S3Settings s3 = S3Settings.resolve(s3Endpoint, bucket, null, null, null, credentialsFile);
        RegistryConfig config =
                RegistryConfig.defaults()
                        .withPort(port)
                        .withRefresh(refresh)
                        .withToken(RegistryToken.fromEnv(System.getenv()).orElse(null));
        CountDownLatch stop = new CountDownLatch(1);
        try (S3ObjectStore store = new S3ObjectStore(s3);
                RegistryServer server = RegistryServer.start(config, store)) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(stop::countDown, "freshet-registry-shutdown"));
            LOG.info(
                    "Registry on {} over {} bucket {}; page at {}/",
                    server.uri(),
                    s3.endpoint(),
                    bucket,
                    server.uri());
            System.out.println(
                    "Registry: " + server.uri() + "/  (API: " + server.uri() + "/api/v1/models)");
            stop.await();
        }
        return 0;
    }
}
