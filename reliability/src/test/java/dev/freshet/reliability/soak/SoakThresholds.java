package dev.freshet.reliability.soak;

import java.time.Duration;

/**
 * The bounds a soak run is judged by after its warm-up; why each is what it is is on its constant.
 *
 * @param maxLagSeconds the trainer's lag may never exceed this many seconds of input ({@code rate}
 *     × this, in samples)
 * @param lagSlopeShare the lag's trend may grow by at most this share of the input rate
 * @param judgeLagTrend whether the lag's trend is judged (only when the run is long enough)
 * @param maxThreadGrowth threads the floor may rise by
 * @param maxOpenFileGrowth open file descriptors the floor may rise by
 * @param maxRssMibPerMinute the RSS trend's bound
 */
record SoakThresholds(
        double maxLagSeconds,
        double lagSlopeShare,
        boolean judgeLagTrend,
        long maxThreadGrowth,
        long maxOpenFileGrowth,
        double maxRssMibPerMinute) {

    /**
     * A minute of input. Samples reach the trainer in bursts, one checkpoint interval's worth at
     * each commit (10 s with local's config, 5 s with the quick one), and the trainer stops reading
     * while it gates and publishes a candidate (a second or two); a trainer that keeps up stays
     * within a few checkpoint intervals. A minute is several times that, so a loaded machine does
     * not trip it, and still a small fraction of the freshness local's windows allow (180 s).
     */
    static final double MAX_LAG_SECONDS = 60;

    /**
     * A trainer 2% slower than its input is behind by another 2,400 samples a minute at 2,000/s:
     * 60,000 over a 25-minute measured window, half the lag bound, so the trend says it before the
     * bound does. Judged from {@link #LAG_TREND_FROM} on only: in a few minutes the sawtooth of the
     * commits (a checkpoint's worth of samples arriving at once) dominates a least-squares slope.
     */
    static final double LAG_SLOPE_SHARE = 0.02;

    static final Duration LAG_TREND_FROM = Duration.ofMinutes(10);

    /**
     * Floors (see {@link Series#floorGrowth}) of threads and open files. The quick run publishes a
     * version every 10 s, so 5 to 9 versions separate its first and last windows (fewer on a loaded
     * machine): one thread or file leaked per version rises the floor past these bounds, one per
     * training batch (several a second) far past them. The long run publishes every 30 s, about 40
     * versions between its windows. In the probes (quick config, a machine loaded 7-15× its two
     * cores) the thread floor moved by -1 to 0 (the registry starts all its workers up front), the
     * open files' by 0 to +2 besides RocksDB's (left out: compaction opens and closes them as the
     * join state changes; they went 12 -> 16 in one probe, within the bound by nothing). What is
     * left for noise is a pool growing by a thread or two under a load peak and, in hours rather
     * than minutes, Kafka segments rolling (1 GiB each, retention unlimited in local: about 150 MB
     * a partition in 30 minutes at 2,000/s, so none roll in the long soak).
     */
    static final long QUICK_THREAD_GROWTH = 4;

    static final long QUICK_OPEN_FILE_GROWTH = 6;
    static final long LONG_THREAD_GROWTH = 8;
    static final long LONG_OPEN_FILE_GROWTH = 16;

    /**
     * RSS, with the heap fixed and pre-touched (SoakSettings.DEFAULT_JVM_FLAGS), in MiB a minute.
     * Long run (5 minutes of warm-up after the first trained sample, 25 judged): 4 MiB/min is 100
     * MiB over 25 minutes, 2.5% of the process (3.9 GiB); a batch's native arrays leaked per step
     * (a few steps a second) grow it by tens of MiB a minute or more. Quick run: in its first
     * minutes the process is still growing towards its plateau (PyTorch's allocator, the JIT's code
     * cache, RocksDB's memtables, the replica's models): 70-100 MiB/min one to two minutes after
     * training began in the probes, decelerating. Two judged minutes cannot tell that from a slow
     * leak, so the quick run only catches a gross one (over 2 MiB a second); flat memory is the
     * long run's verdict.
     */
    static final double QUICK_RSS_MIB_PER_MINUTE = 128;

    static final double LONG_RSS_MIB_PER_MINUTE = 4;

    /** At this measured length and beyond a run is judged as a long one. */
    static final Duration LONG_FROM = Duration.ofMinutes(10);

    static SoakThresholds forRun(SoakSettings settings) {
        boolean isLong = settings.measured().compareTo(LONG_FROM) >= 0;
        return new SoakThresholds(
                MAX_LAG_SECONDS,
                LAG_SLOPE_SHARE,
                settings.measured().compareTo(LAG_TREND_FROM) >= 0,
                isLong ? LONG_THREAD_GROWTH : QUICK_THREAD_GROWTH,
                isLong ? LONG_OPEN_FILE_GROWTH : QUICK_OPEN_FILE_GROWTH,
                isLong ? LONG_RSS_MIB_PER_MINUTE : QUICK_RSS_MIB_PER_MINUTE);
    }
}
