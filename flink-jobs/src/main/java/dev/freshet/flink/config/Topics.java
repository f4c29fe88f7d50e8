package dev.freshet.flink.config;

import java.util.List;

/** Names of the Kafka topics the pipeline reads and writes. */
public record Topics(
        String impressions,
        String engagements,
        String samples,
        String lateEngagements,
        String deadLetters) {

    /** Compacted topic of published feature specs: key {@code latest} and key = version. */
    public static final String FEATURE_SPECS = "freshet.feature-specs";

    public static final Topics DEFAULTS =
            new Topics("impressions", "engagements", "samples", "late-engagements", "freshet.dlq");

    public List<String> all() {
        return List.of(impressions, engagements, samples, lateEngagements, deadLetters);
    }
}
