package dev.freshet.features.event;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Bounds that separate plausible input from garbage. A record outside them is a dead letter, not an
 * exception.
 *
 * @param maxRecordBytes records larger than this are rejected as {@code oversized}
 * @param minEventTime event times before this instant are absurd (clock reset, seconds instead of
 *     milliseconds)
 * @param maxFutureSkew event times further than this ahead of the wall clock are absurd
 * @param maxIdLength impression, request, user, item and engagement ids longer than this are
 *     rejected
 */
public record EventLimits(
        int maxRecordBytes, Instant minEventTime, Duration maxFutureSkew, int maxIdLength)
        implements Serializable {

    public static final EventLimits DEFAULTS =
            new EventLimits(
                    1 << 20, Instant.parse("2000-01-01T00:00:00Z"), Duration.ofDays(1), 512);

    public EventLimits {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
        if (maxIdLength <= 0) {
            throw new IllegalArgumentException("maxIdLength must be positive");
        }
    }
}
