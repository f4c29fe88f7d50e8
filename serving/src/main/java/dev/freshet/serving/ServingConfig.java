package dev.freshet.serving;

import dev.freshet.serving.model.WatcherSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One serving replica's settings.
 *
 * @param registry the registry's base URL
 * @param port the HTTP port, 0 for any free one
 * @param maxBodyBytes the largest {@code POST /score} body
 * @param maxImpressions the most impressions one request may hold
 * @param httpThreads threads answering HTTP requests
 * @param registryTimeout connect and call timeout of registry calls (besides long-poll waits)
 */
public record ServingConfig(
        URI registry,
        WatcherSettings watcher,
        int port,
        int maxBodyBytes,
        int maxImpressions,
        int httpThreads,
        Duration registryTimeout) {

    public static final String DEFAULT_MODEL = "ranking";
    public static final int DEFAULT_PORT = 8081;
    public static final Path DEFAULT_WORK_DIR = Path.of("freshet-data", "serving");
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_IMPRESSIONS = 1000;

    public ServingConfig {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(watcher, "watcher");
        if (maxBodyBytes < 1 || maxImpressions < 1 || httpThreads < 1) {
            throw new IllegalArgumentException(
                    "maxBodyBytes, maxImpressions and httpThreads must be positive");
        }
    }

    public static ServingConfig of(URI registry, String model, String alias, int port, Path dir) {
        return new ServingConfig(
                registry,
                WatcherSettings.defaults(model, dir).withAlias(alias),
                port,
                DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MAX_IMPRESSIONS,
                4,
                Duration.ofSeconds(10));
    }

    /** From {@link ServingEnv} variables; only the registry is required. */
    public static ServingConfig fromEnv(Map<String, String> env) {
        String registry = env.get(ServingEnv.REGISTRY);
        if (registry == null || registry.isBlank()) {
            throw new IllegalArgumentException(ServingEnv.REGISTRY + " is required");
        }
        ServingConfig c =
                of(
                        URI.create(registry.strip()),
                        env.getOrDefault(ServingEnv.MODEL, DEFAULT_MODEL),
                        env.getOrDefault(ServingEnv.ALIAS, WatcherSettings.DEFAULT_ALIAS),
                        integer(env, ServingEnv.PORT, DEFAULT_PORT),
                        Path.of(
                                env.getOrDefault(
                                        ServingEnv.WORK_DIR, DEFAULT_WORK_DIR.toString())));
        return new ServingConfig(
                c.registry,
                c.watcher,
                c.port,
                integer(env, ServingEnv.MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
                c.maxImpressions,
                c.httpThreads,
                c.registryTimeout);
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got " + v, e);
        }
    }
}
