package dev.freshet.flink.join;

import dev.freshet.features.event.Engagement;

/**
 * An engagement the join could not attribute.
 *
 * @param engagement the engagement
 * @param reason {@code after_emit}: its impression's sample was already emitted; {@code unmatched}:
 *     no impression with its id arrived in time
 */
public record LateEngagement(Engagement engagement, String reason) {
    public static final String AFTER_EMIT = "after_emit";
    public static final String UNMATCHED = "unmatched";
}
