package dev.freshet.bench;

import dev.freshet.flink.config.TaskWindows;
import java.time.Duration;
import java.util.Map;

/**
 * The tasks, windows and time settings both jobs use. Short windows so a backlog of a few minutes
 * of event time drains in seconds.
 */
final class BenchTasks {

    static final String[] TASKS = {"click", "save", "hide", "pay"};
    static final long[] WINDOW_MILLIS = {2_000, 5_000, 5_000, 10_000};

    /** Probability that an impression gets an engagement of each task's type. */
    static final double[] RATES = {0.30, 0.05, 0.02, 0.01};

    static final long MAX_WINDOW_MILLIS = 10_000;
    static final Duration OUT_OF_ORDERNESS = Duration.ofMillis(500);
    static final Duration ALLOWED_LATENESS = Duration.ofSeconds(1);

    /**
     * Our job's idle timeout. Not small: QuietAwareWatermarks treats a Kafka split that delivered
     * nothing for this long as caught up, and on a backlog a split can go that long without records
     * (fetches come in per-partition batches, the source is backpressured). Measured with 500 ms:
     * 36% of impressions went to the dead-letter topic as late. The flush events move the
     * watermarks at the end, so the idle timeout plays no part in draining.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    /** Arrival jitter of generated events; must stay below {@link #OUT_OF_ORDERNESS}. */
    static final long ARRIVAL_JITTER_MILLIS = 300;

    private BenchTasks() {}

    static TaskWindows taskWindows() {
        return new TaskWindows(
                TaskWindows.ordered(
                        TASKS[0], Duration.ofMillis(WINDOW_MILLIS[0]),
                        TASKS[1], Duration.ofMillis(WINDOW_MILLIS[1]),
                        TASKS[2], Duration.ofMillis(WINDOW_MILLIS[2]),
                        TASKS[3], Duration.ofMillis(WINDOW_MILLIS[3])),
                Map.of());
    }
}
