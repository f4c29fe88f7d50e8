package dev.freshet.cli.replay;

/** Where replayed Open Bandit event times are placed. */
public enum TimeBase {
    /**
     * Shifted so the newest impression lies a little before now: relative spacing is kept, and
     * Kafka retention and the pipeline's timestamp sanity checks treat the events as current.
     */
    NOW,
    /** The logged times (November 2019). */
    ORIGINAL
}
