package dev.freshet.serving.model;

import java.time.Instant;

/**
 * The last failure to serve a version.
 *
 * @param version the version that failed, 0 when no version was involved (registry unreachable)
 * @param attempts how many times in a row this version has failed
 * @param retryAt when it will be tried again, unless a newer version appears first
 */
public record LoadFailure(
        long version,
        FailureReason reason,
        String detail,
        Instant at,
        int attempts,
        Instant retryAt) {}
