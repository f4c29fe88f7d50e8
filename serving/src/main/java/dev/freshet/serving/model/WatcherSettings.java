package dev.freshet.serving.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ModelWatcher} follows the registry.
 *
 * @param model the model to serve
 * @param alias the alias to follow ({@code latest}: the newest version that is not rejected)
 * @param workDir where versions are downloaded, one fresh directory each
 * @param pollWait how long one alias long-poll may be held by the registry
 * @param retryMin first wait before a failed version is tried again (doubles per failure)
 * @param retryMax longest wait before a failed version is tried again, and the longest pause while
 *     the registry is unreachable
 * @param tolerance the largest difference allowed between a warm-up probe prediction and the
 *     trainer's
 * @param threads PyTorch intra-op threads
 */
public record WatcherSettings(
        String model,
        String alias,
        Path workDir,
        Duration pollWait,
        Duration retryMin,
        Duration retryMax,
        double tolerance,
        int threads) {

    public static final String DEFAULT_ALIAS = "latest";
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETRY_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);
    public static final double DEFAULT_TOLERANCE = 1e-5;

    public WatcherSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(workDir, "workDir");
        if (retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("need 0 < retryMin <= retryMax");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    public static WatcherSettings defaults(String model, Path workDir) {
        return new WatcherSettings(
                model,
                DEFAULT_ALIAS,
                workDir,
                DEFAULT_POLL_WAIT,
                DEFAULT_RETRY_MIN,
                DEFAULT_RETRY_MAX,
                DEFAULT_TOLERANCE,
                1);
    }

    public WatcherSettings withAlias(String newAlias) {
        return new WatcherSettings(
                model, newAlias, workDir, pollWait, retryMin, retryMax, tolerance, threads);
    }

    public WatcherSettings withTiming(Duration newPollWait, Duration newRetryMin, Duration newMax) {
        return new WatcherSettings(
                model, alias, workDir, newPollWait, newRetryMin, newMax, tolerance, threads);
    }

    /** The wait before attempt {@code attempts + 1} after {@code attempts} failures in a row. */
    Duration backoff(int attempts) {
        Duration d = retryMin;
        for (int i = 1; i < attempts && d.compareTo(retryMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }
}
