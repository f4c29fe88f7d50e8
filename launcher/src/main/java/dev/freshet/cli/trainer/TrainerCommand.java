package dev.freshet.cli.trainer;

import dev.freshet.cli.kafka.KafkaReachability;
import dev.freshet.registry.RegistryToken;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.trainer.observe.MetricsServer;
import dev.freshet.trainer.observe.TrainerMetrics;
import dev.freshet.trainer.publish.RegistryNotifier;
import dev.freshet.trainer.service.TrainerConfigFile;
import dev.freshet.trainer.service.TrainerService;
import dev.freshet.trainer.service.TrainerServiceConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code freshet trainer}: the continuous trainer service, until stopped. */
@Command(
        name = "trainer",
        mixinStandardHelpOptions = true,
        description = {
            "Run the trainer service until stopped: consume samples from the offsets of the newest"
                    + " checkpoint (local or published), train, and every publish interval gate"
                    + " and publish a version to the object store.",
            "Settings: defaults, then the 'trainer:' and 'model:' sections of --config, then"
                    + " these flags. S3 credentials: FRESHET_S3_ACCESS_KEY/FRESHET_S3_SECRET_KEY,"
                    + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or --s3-credentials-file.",
            "Registry write token: FRESHET_REGISTRY_TOKEN or the file named by"
                    + " FRESHET_REGISTRY_TOKEN_FILE."
        })
public final class TrainerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerCommand.class);

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

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
            description = "Bucket versions are published to (created if missing).")
    String bucket;

    @Option(
            names = "--s3-credentials-file",
            paramLabel = "FILE",
            description =
                    "Properties file with access_key and secret_key (e.g. the one"
                            + " 'freshet s3' writes).")
    Path credentialsFile;

    @Option(
            names = "--registry",
            paramLabel = "URL",
            description = "Model registry to tell of each published version (optional).")
    URI registry;

    @Option(names = "--config", paramLabel = "FILE", description = "Freshet YAML config file.")
    Path configFile;

    @Option(
            names = "--device",
            paramLabel = "cpu|gpu",
            description = "Where the dense network trains (default: cpu).")
    String device;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Local checkpoints (default: freshet-data/trainer).")
    Path stateDir;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9464",
            description =
                    "Prometheus /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE};"
                            + " 0 = any free port).")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        TrainerServiceConfig config = config();
        S3Settings s3 = S3Settings.resolve(s3Endpoint, bucket, null, null, null, credentialsFile);
        KafkaReachability.require(bootstrapServers, Duration.ofSeconds(15));
        CountDownLatch stopped = new CountDownLatch(1);
        try (S3ObjectStore store = new S3ObjectStore(s3);
                TrainerMetrics metrics = new TrainerMetrics();
                TrainerService service =
                        new TrainerService(
                                config,
                                bootstrapServers,
                                store,
                                metrics,
                                TrainerService.Hooks.NONE);
                MetricsServer server = MetricsServer.start(metricsPort, metrics, service::ready)) {
            if (registry != null) {
                service.onPublished(
                        new RegistryNotifier(
                                registry, RegistryToken.fromEnv(System.getenv()).orElse(null)));
            }
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        LOG.info("Trainer stopping: last candidate, then exit");
                                        service.stop();
                                        try {
                                            stopped.await();
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    },
                                    "freshet-trainer-shutdown"));
            LOG.info(
                    "Trainer for model {} on {}; metrics on http://localhost:{}/metrics",
                    config.modelName(),
                    s3.endpoint(),
                    server.port());
            try {
                service.run();
                service.awaitPublished(Duration.ofSeconds(30));
            } finally {
                stopped.countDown();
            }
        }
        return 0;
    }

    TrainerServiceConfig config() {
        Path dir = stateDir != null ? stateDir : Path.of("freshet-data", "trainer");
        TrainerServiceConfig config =
                configFile != null
                        ? TrainerConfigFile.load(configFile, dir)
                        : TrainerServiceConfig.defaults(dir);
        if (stateDir != null) {
            config = config.withStateDir(stateDir);
        }
        if (device != null) {
            try {
                config = config.withDevice(device);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this), "--device: cpu or gpu, got " + device);
            }
        }
        return config;
    }
}
