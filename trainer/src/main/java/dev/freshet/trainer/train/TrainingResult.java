package dev.freshet.trainer.train;

import dev.freshet.manifest.TaskMetrics;
import dev.freshet.trainer.metrics.HitAtK;
import java.util.List;

/**
 * What a run of the training loop did, for callers and tests to assert on.
 *
 * @param steps applied steps
 * @param skippedSteps steps not applied because the loss or a gradient was not finite
 * @param samples samples learned from
 * @param rejectedSamples samples set aside because the model could not read them
 * @param lastLoss the loss of the last step
 * @param metrics progressive per-task metrics over the loop's metric window
 * @param hit progressive HIT@k over the window, or null when no HIT task is configured
 * @param seconds wall time of the run
 */
public record TrainingResult(
        long steps,
        long skippedSteps,
        long samples,
        long rejectedSamples,
        float lastLoss,
        List<TaskMetrics> metrics,
        HitAtK.Result hit,
        double seconds) {

    public TaskMetrics metrics(String task) {
        return metrics.stream()
                .filter(m -> m.task().equals(task))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no task " + task));
    }
}
