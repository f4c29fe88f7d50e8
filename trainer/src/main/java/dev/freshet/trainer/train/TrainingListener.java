package dev.freshet.trainer.train;

import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import java.util.List;

/**
 * Hooks on the training loop: gating, publishing, metrics and logging hang off the loop here
 * instead of living inside it (DJL's TrainingListener style).
 */
public interface TrainingListener {

    /** After every step, applied or not; {@code result.probabilities()} are pre-update scores. */
    default void onStep(TrainingSession session, Batch batch, StepResult result) {}

    /** Samples of a batch the model could not read. */
    default void onRejected(List<BatchAssembler.Rejected> rejected) {}
}
