package dev.freshet.trainer.experiment;

import dev.freshet.manifest.TaskMetrics;
import java.util.List;

/**
 * One seed of one config: its metrics on the held-out samples.
 *
 * @param seed the model seed
 * @param tasks per-task AUC, log loss and calibration on the holdout
 * @param hit HIT@k of the HIT task on the holdout, NaN when no held-out request has a positive
 * @param requestsWithPositive held-out requests with at least one positive for the HIT task
 * @param steps training steps applied
 * @param refusedSteps steps whose loss or gradient was not finite, so not applied
 * @param trainSeconds wall time of the training passes
 * @param latencyMillis median wall time of one inference batch of the holdout
 */
public record RunResult(
        long seed,
        List<TaskMetrics> tasks,
        double hit,
        long requestsWithPositive,
        long steps,
        long refusedSteps,
        double trainSeconds,
        double latencyMillis) {

    public RunResult {
        tasks = List.copyOf(tasks);
    }
}
