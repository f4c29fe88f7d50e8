package dev.freshet.simulator;

/**
 * What the simulator has sent so far. Every record sent is counted exactly once: as an impression,
 * an engagement, a malformed record or a duplicate.
 *
 * @param requests requests generated
 * @param impressions valid impressions sent
 * @param engagements valid engagements sent (an unknown engagement type counts as malformed)
 * @param malformed malformed records sent, on either topic
 * @param duplicates exact re-sends of an earlier valid record, on either topic
 * @param earlyEngagements of {@code engagements}, those sent before their impression
 */
public record SimulatorStats(
        long requests,
        long impressions,
        long engagements,
        long malformed,
        long duplicates,
        long earlyEngagements) {

    /** All records sent, on both topics. */
    public long records() {
        return impressions + engagements + malformed + duplicates;
    }
}
