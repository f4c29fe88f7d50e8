package dev.freshet.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * Everything a registry needs besides its object store.
 *
 * @param port the HTTP port, 0 for any free one
 * @param token the bearer token writes need; empty refuses every write
 * @param refresh how often the index re-reads the bucket (the bound on how late another registry's
 *     or trainer's write shows here)
 * @param presignExpiry how long download links stay valid
 * @param maxBodyBytes the largest request body accepted (413 beyond)
 * @param threads HTTP worker threads; long-polls hold one each
 */
public record RegistryConfig(
        int port,
        Optional<String> token,
        Duration refresh,
        Duration presignExpiry,
        int maxBodyBytes,
        int threads) {

    public static final int DEFAULT_PORT = 8080;

    public RegistryConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("refresh must be positive");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        }
        if (threads < 2) {
            throw new IllegalArgumentException("threads must be at least 2");
        }
        token = token.filter(t -> !t.isBlank());
    }

    public static RegistryConfig defaults() {
        return new RegistryConfig(
                DEFAULT_PORT,
                Optional.empty(),
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                1 << 20,
                64);
    }

    public RegistryConfig withPort(int p) {
        return new RegistryConfig(p, token, refresh, presignExpiry, maxBodyBytes, threads);
    }

    public RegistryConfig withToken(String t) {
        return new RegistryConfig(
                port, Optional.ofNullable(t), refresh, presignExpiry, maxBodyBytes, threads);
    }

    public RegistryConfig withRefresh(Duration r) {
        return new RegistryConfig(port, token, r, presignExpiry, maxBodyBytes, threads);
    }

    /** Long-polls may hold all but a few threads, so lookups and writes always get through. */
    public int maxWaiters() {
        return Math.max(1, threads - 8);
    }
}
