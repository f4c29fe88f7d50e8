package dev.freshet.trainer.experiment;

/**
 * How every config of one experiment is trained and judged; the same for all of them, so the table
 * compares architectures and nothing else.
 *
 * @param batchSize samples per training step, unless {@code memoryBudget} picks one per config
 * @param holdout the fraction of the samples, at the end of the replay, held out for evaluation:
 *     the configs learn from the first {@code 1 - holdout} and are judged on the rest, as a model
 *     trained up to now is judged on what comes next
 * @param epochs passes over the training part (1 is what a streaming trainer sees)
 * @param hitK k of HIT@k
 * @param latencyRepeats timed inference batches per seed for the latency column
 * @param memoryBudget when set, the fraction of the device's memory each config's batch size must
 *     stay under (see {@link dev.freshet.trainer.memory.MemoryBudget}); {@code batchSize} is then
 *     the largest candidate
 * @param threads PyTorch intra-op threads per worker
 */
public record ExperimentSettings(
        int batchSize,
        double holdout,
        int epochs,
        int hitK,
        int latencyRepeats,
        Double memoryBudget,
        int threads) {

    public ExperimentSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(holdout > 0 && holdout < 1)) {
            throw new IllegalArgumentException(
                    "holdout must be a fraction strictly between 0 and 1, got " + holdout);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (hitK < 1) {
            throw new IllegalArgumentException("HIT@k needs k >= 1, got " + hitK);
        }
        if (latencyRepeats < 1) {
            throw new IllegalArgumentException(
                    "latency repeats must be at least 1, got " + latencyRepeats);
        }
        if (memoryBudget != null && !(memoryBudget > 0 && memoryBudget <= 1)) {
            throw new IllegalArgumentException(
                    "memory budget must be a fraction in (0, 1], got " + memoryBudget);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /**
     * How many of {@code total} samples, from the start of the replay, are trained on.
     *
     * @throws IllegalArgumentException if the holdout leaves either part empty
     */
    public int trainCount(int total) {
        int count = (int) Math.round(total * (1 - holdout));
        if (count < 1 || count >= total) {
            throw new IllegalArgumentException(
                    "holdout "
                            + holdout
                            + " of "
                            + total
                            + " samples leaves no "
                            + (count < 1 ? "samples to train on" : "samples to evaluate on"));
        }
        return count;
    }

    /** 512-sample batches, the last 20% held out, one epoch, HIT@3, 50 timed batches, 1 thread. */
    public static ExperimentSettings defaults() {
        return new ExperimentSettings(512, 0.2, 1, 3, 50, null, 1);
    }
}
