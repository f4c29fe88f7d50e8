package dev.freshet.trainer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossSpikeDetectorTest {

    static LossSpikeDetector detector(int warmup) {
        GateConfig d = GateConfig.defaults();
        return new LossSpikeDetector(
                new GateConfig(
                        d.maxAbsParameter(),
                        6.0,
                        0.5,
                        warmup,
                        d.replaySteps(),
                        d.replayTolerance(),
                        d.maxPredictionDrift(),
                        d.maxAucDrop(),
                        d.maxLogLossIncrease(),
                        d.minQualitySamples(),
                        d.minQualityPositives(),
                        d.minTrainedSamples(),
                        d.maxConsecutiveRejections()));
    }

    @Test
    void aJumpFarAboveTheRunningLossIsRefusedAndNormalNoiseIsNot() {
        LossSpikeDetector spikes = detector(20);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            assertThat(spikes.refuse((float) (0.6 + 0.02 * r.nextGaussian()), 1)).isNull();
        }
        assertThat(spikes.refuse(2.5f, 1)).isEqualTo(LossSpikeDetector.REASON);
        // A burst of bad batches cannot raise the bar for itself: refused losses are not learned.
        assertThat(spikes.refuse(2.5f, 1)).isEqualTo(LossSpikeDetector.REASON);
        assertThat(spikes.refuse(2.4f, 1)).isEqualTo(LossSpikeDetector.REASON);
        assertThat(spikes.spikes()).isEqualTo(3);
        assertThat(spikes.refuse(0.62f, 1)).isNull();
        assertThat(spikes.mean()).isBetween(0.55, 0.65);
    }

    @Test
    void nothingIsASpikeDuringWarmUpAndAFallingLossNeverIs() {
        LossSpikeDetector spikes = detector(50);
        assertThat(spikes.refuse(0.1f, 1)).isNull();
        assertThat(spikes.refuse(5f, 1)).isNull();
        for (int i = 0; i < 100; i++) {
            assertThat(spikes.refuse((float) (3.0 - i * 0.02), 1)).isNull();
        }
    }

    @Test
    void aSmallRiseOnANearlyConstantLossIsNotASpike() {
        LossSpikeDetector spikes = detector(10);
        for (int i = 0; i < 100; i++) {
            spikes.refuse(1.0f, 1);
        }
        // Many standard deviations above (std ~0) but only 20 % up: the relative floor holds.
        assertThat(spikes.refuse(1.2f, 1)).isNull();
        assertThat(spikes.refuse(1.6f, 1)).isEqualTo(LossSpikeDetector.REASON);
    }
}
