package dev.freshet.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.reliability.soak.SoakAnalysis.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class SoakAnalysisTest {

    private static final double RATE = 2_000;
    private static final double WARMUP = 60;

    /** Quick-run bounds: lag 60 s of input, threads +4, files +6, RSS 128 MiB/min. */
    private static final SoakThresholds QUICK = new SoakThresholds(60, 0.02, false, 4, 6, 128);

    private static final SoakThresholds LONG = new SoakThresholds(60, 0.02, true, 8, 16, 4);

    /** A healthy stack every 10 s for 3 minutes; {@code change} alters sample i. */
    private static List<SoakSample> run(int minutes, IntFunction<Healthy> change) {
        List<SoakSample> out = new ArrayList<>();
        for (int i = 0; i <= minutes * 6; i++) {
            out.add(change.apply(i).sample(10.0 * i, i));
        }
        return out;
    }

    /** The figures of a stack that keeps up and leaks nothing, with the noise real ones show. */
    private record Healthy(long rssKib, long threads, long files, long lag, double trainedShare) {
        static Healthy at(int i) {
            return new Healthy(
                    4_000_000 + (i % 3) * 20_000, // +-20 MiB of GC and malloc churn
                    300 + (i % 4 == 0 ? 12 : 0), // a pool growing for a moment
                    700 + (i % 5 == 0 ? 20 : 0), // a checkpoint's files
                    (i % 2) * 10_000, // a checkpoint's worth of samples, then none
                    1.0);
        }

        Healthy withRss(long kib) {
            return new Healthy(kib, threads, files, lag, trainedShare);
        }

        Healthy withThreads(long n) {
            return new Healthy(rssKib, n, files, lag, trainedShare);
        }

        Healthy withFiles(long n) {
            return new Healthy(rssKib, threads, n, lag, trainedShare);
        }

        Healthy withLag(long n, double share) {
            return new Healthy(rssKib, threads, files, n, share);
        }

        SoakSample sample(double seconds, int i) {
            long committed = (long) (RATE * seconds);
            return new SoakSample(
                    seconds,
                    rssKib,
                    threads,
                    files,
                    20 + (i % 4) * 5, // RocksDB's files: compaction
                    lag,
                    (long) (committed * trainedShare),
                    i / 3,
                    500L << 20,
                    200L << 20,
                    (long) (RATE * 1.03 * seconds),
                    committed);
        }
    }

    private static List<Check> failed(List<SoakSample> samples, SoakThresholds bounds) {
        return new SoakAnalysis(samples, WARMUP, RATE, bounds)
                .checks().stream().filter(Check::failed).toList();
    }

    private static List<String> failedNames(List<SoakSample> samples, SoakThresholds bounds) {
        return failed(samples, bounds).stream().map(Check::name).toList();
    }

    @Test
    void aHealthyStackPassesEveryCheckAndKeepsUp() {
        List<SoakSample> samples = run(3, Healthy::at);
        assertThat(failed(samples, QUICK)).isEmpty();
        assertThat(failed(run(30, Healthy::at), LONG)).isEmpty();
        assertThat(new SoakAnalysis(samples, WARMUP, RATE, QUICK).trainerKeptUp()).isTrue();
    }

    @Test
    void aThreadLeakedPerVersionFailsTheQuickRun() {
        // A version every 10 s (the quick config), one thread each.
        assertThat(failedNames(run(3, i -> Healthy.at(i).withThreads(300 + i)), QUICK))
                .containsExactly("threads flat");
    }

    @Test
    void aFileLeakedPerVersionFailsTheQuickRun() {
        assertThat(failedNames(run(3, i -> Healthy.at(i).withFiles(700 + i)), QUICK))
                .containsExactly("open files flat (besides RocksDB's)");
    }

    @Test
    void rocksDbFilesGrowingWithTheJoinStateAreNotJudged() {
        List<SoakSample> growing = new ArrayList<>();
        for (SoakSample s : run(3, Healthy::at)) {
            long more = (long) s.seconds() / 10; // a file more every sample, all RocksDB's
            growing.add(
                    new SoakSample(
                            s.seconds(),
                            s.rssKib(),
                            s.threads(),
                            s.openFiles() + more,
                            s.stateFiles() + more,
                            s.lag(),
                            s.trained(),
                            s.versions(),
                            s.heapUsedBytes(),
                            s.liveHeapBytes(),
                            s.impressions(),
                            s.committed()));
        }
        assertThat(failed(growing, QUICK)).isEmpty();
    }

    @Test
    void aThreadLeakedEveryOtherMinuteFailsTheLongRun() {
        assertThat(failedNames(run(30, i -> Healthy.at(i).withThreads(300 + i / 12)), LONG))
                .containsExactly("threads flat");
    }

    @Test
    void memoryGrowingByANativeBatchPerStepFailsEvenTheQuickRun() {
        // 1 MiB per step, 4 steps a second: 240 MiB a minute.
        assertThat(failedNames(run(3, i -> Healthy.at(i).withRss(4_000_000 + i * 40_960L)), QUICK))
                .containsExactly("RSS flat");
    }

    @Test
    void memoryGrowingByAFewMiBAMinuteFailsOnlyTheLongRun() {
        // 10 MiB a minute: within the quick run's loose bound, over the long run's.
        IntFunction<Healthy> slow = i -> Healthy.at(i).withRss(4_000_000 + i * 1_707L);
        assertThat(failed(run(3, slow), QUICK)).isEmpty();
        assertThat(failedNames(run(30, slow), LONG)).containsExactly("RSS flat");
    }

    @Test
    void lagBeyondAMinuteOfInputFails() {
        List<SoakSample> samples = run(3, i -> Healthy.at(i).withLag(i == 15 ? 130_000 : 0, 1.0));
        assertThat(failedNames(samples, QUICK)).containsExactly("trainer lag bounded");
        assertThat(new SoakAnalysis(samples, WARMUP, RATE, QUICK).trainerKeptUp()).isFalse();
    }

    @Test
    void aTrainerFallingBehindSlowlyFailsTheTrendOnlyWhereItIsJudged() {
        // 3% slower than its input: 60 samples/s more lag every second, under the bound for 30 min.
        IntFunction<Healthy> behind = i -> Healthy.at(i).withLag(i * 600L, 0.97);
        assertThat(failedNames(run(30, behind), LONG))
                .containsExactly("trainer lag not trending up");
        List<SoakSample> quick = run(3, behind);
        assertThat(failed(quick, QUICK)).isEmpty();
        assertThat(new SoakAnalysis(quick, WARMUP, RATE, QUICK).trainerKeptUp())
                .as("trained 0.97 of committed")
                .isFalse();
    }

    @Test
    void aStackThatNeverTrainedFailsRatherThanLookingFlat() {
        List<SoakSample> idle = new ArrayList<>();
        for (SoakSample s : run(3, Healthy::at)) {
            idle.add(
                    new SoakSample(
                            s.seconds(),
                            s.rssKib(),
                            s.threads(),
                            s.openFiles(),
                            s.stateFiles(),
                            0,
                            0,
                            0,
                            s.heapUsedBytes(),
                            s.liveHeapBytes(),
                            s.impressions(),
                            0));
        }
        assertThat(failedNames(idle, QUICK))
                .containsExactly("the stack works: trained and published after warm-up");
    }

    @Test
    void theWarmUpIsNotJudged() {
        // Start-up: RSS, threads and files climb during the first minute, then stay.
        IntFunction<Healthy> startup =
                i -> {
                    int k = Math.min(i, 6);
                    return Healthy.at(i)
                            .withRss(1_000_000 + k * 500_000L)
                            .withThreads(100 + k * 40L)
                            .withFiles(200 + k * 80L);
                };
        assertThat(failed(run(3, startup), QUICK)).isEmpty();
    }

    @Test
    void floorWindowIsATenthOfThePointsAndAtLeastThree() {
        assertThat(SoakAnalysis.floorWindow(13)).isEqualTo(3);
        assertThat(SoakAnalysis.floorWindow(151)).isEqualTo(15);
    }
}
