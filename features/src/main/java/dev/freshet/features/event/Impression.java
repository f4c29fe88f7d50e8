package dev.freshet.features.event;

import java.util.Objects;

/**
 * One served item, as logged by the serving tier. Features are logged at serving time so that
 * training sees exactly what serving saw.
 *
 * <p>A dense value that is {@code null} is missing (not zero); {@link RawFeatures} keeps that
 * distinction.
 */
public record Impression(
        String impressionId,
        String requestId,
        String userId,
        String itemId,
        long eventTime,
        Integer position,
        RawFeatures features) {

    public Impression {
        Objects.requireNonNull(impressionId, "impressionId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(features, "features");
    }

    /** Convenience for tests and generators. */
    public static Impression of(String impressionId, String requestId, long eventTime) {
        return new Impression(
                impressionId, requestId, null, null, eventTime, null, RawFeatures.EMPTY);
    }
}
