package dev.freshet.registry;

import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The registry's plain entry point for a container image, configured from the environment: {@value
 * #ENDPOINT}, {@value #BUCKET}, {@value #PORT} (default 8080), {@value #REFRESH} (seconds, default
 * 1), S3 credentials as {@link dev.freshet.store.S3Env} reads them and the write token as {@link
 * RegistryToken} reads it.
 */
public final class RegistryMain {

    public static final String ENDPOINT = "FRESHET_S3_ENDPOINT";
    public static final String BUCKET = "FRESHET_S3_BUCKET";
    public static final String PORT = "FRESHET_REGISTRY_PORT";
    public static final String REFRESH = "FRESHET_REGISTRY_REFRESH_SECONDS";

    private RegistryMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String endpoint = require(env, ENDPOINT);
        String bucket = require(env, BUCKET);
        RegistryConfig config =
                RegistryConfig.defaults()
                        .withPort(
                                Integer.parseInt(
                                        env.getOrDefault(PORT, "" + RegistryConfig.DEFAULT_PORT)))
                        .withRefresh(
                                Duration.ofSeconds(Long.parseLong(env.getOrDefault(REFRESH, "1"))))
                        .withToken(RegistryToken.fromEnv(env).orElse(null));
        S3Settings s3 = S3Settings.resolve(endpoint, bucket, null, null, null, null);
        CountDownLatch stop = new CountDownLatch(1);
        try (S3ObjectStore store = new S3ObjectStore(s3);
                RegistryServer server = RegistryServer.start(config, store)) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(stop::countDown, "freshet-registry-shutdown"));
            stop.await();
        }
    }

    private static String require(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            System.err.println("freshet registry: " + name + " is not set");
            System.exit(2);
        }
        return v;
    }
}
