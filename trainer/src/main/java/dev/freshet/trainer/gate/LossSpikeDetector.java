package dev.freshet.trainer.gate;

import dev.freshet.trainer.train.UpdateGuard;

/**
 * The loss-spike check, as an {@link UpdateGuard}: a batch whose loss is far above the running mean
 * of accepted losses is refused before it touches the parameters (the model stays at its last good
 * state), and the service quarantines the batch. Mean and variance are exponentially weighted
 * (about the last 100 accepted steps) so the check follows a loss that drifts as data changes;
 * refused losses never enter them, so a burst of bad batches cannot raise the bar for itself.
 */
public final class LossSpikeDetector implements UpdateGuard {

    public static final String REASON = "loss_spike";
    private static final double DECAY = 0.01;

    private final GateConfig config;
    private double mean;
    private double variance;
    private long accepted;
    private long spikes;
    private float lastRefused = Float.NaN;

    public LossSpikeDetector(GateConfig config) {
        this.config = config;
    }

    @Override
    public String refuse(float loss, double gradientNorm) {
        if (accepted >= config.spikeWarmupSteps() && isSpike(loss)) {
            spikes++;
            lastRefused = loss;
            return REASON;
        }
        accept(loss);
        return null;
    }

    boolean isSpike(double loss) {
        double std = Math.sqrt(variance);
        return loss > mean + config.spikeSigmas() * std
                && loss > mean * (1 + config.spikeMinRelative());
    }

    private void accept(double loss) {
        accepted++;
        if (accepted == 1) {
            mean = loss;
            variance = 0;
            return;
        }
        double alpha = Math.max(DECAY, 1.0 / accepted);
        double delta = loss - mean;
        mean += alpha * delta;
        variance = (1 - alpha) * (variance + alpha * delta * delta);
    }

    public double mean() {
        return mean;
    }

    public double std() {
        return Math.sqrt(variance);
    }

    public long spikes() {
        return spikes;
    }

    public float lastRefused() {
        return lastRefused;
    }
}
