package dev.freshet.trainer.gate;

/**
 * Thresholds of the stability gate (PRODUCT.md section 6), with defaults meant for production.
 *
 * @param maxAbsParameter finite check: no parameter, table entry or optimizer moment beyond this
 * @param spikeSigmas a batch whose loss exceeds the running mean by this many running standard
 *     deviations is a spike
 * @param spikeMinRelative ... and by at least this fraction of the running mean (so a near-constant
 *     loss does not make every wobble a spike)
 * @param spikeWarmupSteps no spike verdicts before this many accepted steps
 * @param replaySteps steps of the segment replayed from the parent checkpoint
 * @param replayTolerance largest absolute difference allowed between replayed and live parameters
 *     and probe predictions (0 demands bit-identity, which the CPU delivers)
 * @param maxPredictionDrift largest mean absolute change of probe-set predictions against the
 *     published model
 * @param maxAucDrop largest drop of progressive AUC (per task) against the published model
 * @param maxLogLossIncrease largest relative increase of progressive log loss against the published
 *     model
 * @param minQualitySamples quality is judged only when the window has this many samples
 * @param minQualityPositives ... and a task only when both its windows (the candidate's and the
 *     published model's) hold this many positives: with fewer, AUC and log loss of two different
 *     windows differ by noise alone (a rare task such as pay would halt publishing for nothing)
 * @param minTrainedSamples drift and quality are judged only against a published model that has
 *     learned from this many samples: a young model changes fast and its first versions are noise
 * @param maxConsecutiveRejections after this many rejected candidates in a row publishing stops
 */
public record GateConfig(
        double maxAbsParameter,
        double spikeSigmas,
        double spikeMinRelative,
        int spikeWarmupSteps,
        int replaySteps,
        double replayTolerance,
        double maxPredictionDrift,
        double maxAucDrop,
        double maxLogLossIncrease,
        int minQualitySamples,
        int minQualityPositives,
        long minTrainedSamples,
        int maxConsecutiveRejections) {

    public GateConfig {
        if (!(maxAbsParameter > 0)
                || !(spikeSigmas > 0)
                || spikeMinRelative < 0
                || spikeWarmupSteps < 0
                || replaySteps < 0
                || replayTolerance < 0
                || !(maxPredictionDrift > 0)
                || maxAucDrop < 0
                || maxLogLossIncrease < 0
                || minQualitySamples < 0
                || minQualityPositives < 0
                || minTrainedSamples < 0
                || maxConsecutiveRejections < 1) {
            throw new IllegalArgumentException("gate: thresholds must be positive: " + this);
        }
    }

    public static GateConfig defaults() {
        return new GateConfig(1e4, 6.0, 0.5, 50, 4, 1e-6, 0.1, 0.05, 0.25, 1_000, 100, 20_000, 3);
    }
}
