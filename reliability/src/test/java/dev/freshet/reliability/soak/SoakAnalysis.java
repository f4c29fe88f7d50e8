package dev.freshet.reliability.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Judges the samples after the warm-up against the {@link SoakThresholds}: the trainer's lag
 * bounded and not trending up, threads and open files flat, RSS flat; and whether the trainer kept
 * up with its input at all, which is what "the highest rate the trainer sustains" asks of a rate.
 */
final class SoakAnalysis {

    /** The trained-to-committed ratio over the measured window of a trainer that keeps up. */
    static final double KEEPS_UP_RATIO = 0.95;

    /**
     * The committed-to-sent ratio of a pipeline that keeps up: the simulator's malformed and late
     * records (about 3%) and its duplicates make no sample, so a pipeline in step is near 0.97.
     */
    static final double PIPELINE_KEEPS_UP_RATIO = 0.9;

    /** One judged property: what was measured, against which bound. */
    record Check(String name, String measured, String bound, boolean judged, boolean passed) {
        boolean failed() {
            return judged && !passed;
        }
    }

    /** Start (end of warm-up), end, maximum and trend of one series after the warm-up. */
    record Figure(
            String name, String unit, double start, double end, double max, double perMinute) {}

    private final List<SoakSample> samples;
    private final double warmupSeconds;
    private final double rate;
    private final SoakThresholds bounds;

    SoakAnalysis(
            List<SoakSample> samples, double warmupSeconds, double rate, SoakThresholds bounds) {
        this.samples = List.copyOf(samples);
        this.warmupSeconds = warmupSeconds;
        this.rate = rate;
        this.bounds = bounds;
    }

    /** The measured part of one column; samples without the figure (-1) are left out. */
    Series series(ToLongFunction<SoakSample> column) {
        List<SoakSample> kept =
                samples.stream()
                        .filter(s -> s.seconds() >= warmupSeconds && column.applyAsLong(s) >= 0)
                        .toList();
        double[] t = new double[kept.size()];
        double[] v = new double[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            t[i] = kept.get(i).seconds();
            v[i] = column.applyAsLong(kept.get(i));
        }
        return new Series(t, v);
    }

    /** Points per floor window: a tenth of the measured points, at least 3 (30 s at 10 s). */
    static int floorWindow(int points) {
        return Math.max(3, points / 10);
    }

    /** Units per second of a counter over the measured window. */
    double ratePerSecond(ToLongFunction<SoakSample> counter) {
        Series s = series(counter);
        return s.size() < 2 || s.span() <= 0 ? Double.NaN : (s.last() - s.first()) / s.span();
    }

    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        Series trained = series(SoakSample::trained);
        Series versions = series(SoakSample::versions);
        checks.add(
                new Check(
                        "the stack works: trained and published after warm-up",
                        trained.size() < 2
                                ? "no trainer metrics"
                                : f(
                                        "+%,.0f samples, +%.0f versions",
                                        trained.last() - trained.first(),
                                        versions.last() - versions.first()),
                        "> 0 of each",
                        true,
                        trained.size() >= 2
                                && trained.last() > trained.first()
                                && versions.last() > versions.first()));

        Series lag = series(SoakSample::lag);
        double lagBound = rate * bounds.maxLagSeconds();
        checks.add(
                new Check(
                        "trainer lag bounded",
                        lag.size() == 0 ? "no lag measured" : f("max %,.0f samples", lag.max()),
                        f("<= %,.0f (%.0f s of input)", lagBound, bounds.maxLagSeconds()),
                        true,
                        lag.size() > 0 && lag.max() <= lagBound));
        double lagSlope = lag.size() < 2 ? Double.NaN : lag.slopePerSecond();
        checks.add(
                new Check(
                        "trainer lag not trending up",
                        f("%+,.1f samples/s", lagSlope),
                        f(
                                "<= %,.1f (%.0f%% of the rate)%s",
                                rate * bounds.lagSlopeShare(),
                                100 * bounds.lagSlopeShare(),
                                bounds.judgeLagTrend() ? "" : "; not judged under 10 min"),
                        bounds.judgeLagTrend(),
                        lagSlope <= rate * bounds.lagSlopeShare()));

        checks.add(
                floorCheck("threads flat", series(SoakSample::threads), bounds.maxThreadGrowth()));
        // RocksDB's files are left out: compaction opens and closes them as the join state grows
        // and shrinks (12 -> 16 in two quick minutes on a loaded machine), and they are reported.
        checks.add(
                floorCheck(
                        "open files flat (besides RocksDB's)",
                        series(SoakSample::otherFiles),
                        bounds.maxOpenFileGrowth()));

        Series rss = series(SoakSample::rssKib);
        double rssSlope = rss.size() < 2 ? Double.NaN : rss.slopePerSecond() * 60 / 1024;
        checks.add(
                new Check(
                        "RSS flat",
                        f("%+.2f MiB/min", rssSlope),
                        f("<= %.1f MiB/min (least squares)", bounds.maxRssMibPerMinute()),
                        true,
                        rssSlope <= bounds.maxRssMibPerMinute()));
        return checks;
    }

    private static Check floorCheck(String name, Series s, long bound) {
        if (s.size() < 6) {
            return new Check(name, "fewer than 6 samples", "", true, false);
        }
        int window = floorWindow(s.size());
        double growth = s.floorGrowth(window);
        return new Check(
                name,
                f("floor %+.0f (%.0f -> %.0f, max %.0f)", growth, s.first(), s.last(), s.max()),
                f("<= +%d (floor of the last %d samples vs the first %d)", bound, window, window),
                true,
                growth <= bound);
    }

    /**
     * Whether the trainer kept up with {@code rate}: it trained at least {@link #KEEPS_UP_RATIO} of
     * what the pipeline committed over the measured window, and its lag stayed within the bound and
     * did not trend up (judged or not: this is the verdict on the rate, not a test failure).
     */
    boolean trainerKeptUp() {
        Series lag = series(SoakSample::lag);
        return trainedToCommitted() >= KEEPS_UP_RATIO
                && lag.size() >= 2
                && lag.max() <= rate * bounds.maxLagSeconds()
                && lag.slopePerSecond() <= rate * bounds.lagSlopeShare();
    }

    /**
     * The verdict on the rate, stage by stage: the pipeline feeds the trainer, so a pipeline that
     * falls behind starves a trainer that would have kept up, and the trainer's lag, which counts
     * only committed samples, does not show it.
     */
    String rateVerdict() {
        double committedToSent =
                ratePerSecond(SoakSample::committed) / ratePerSecond(SoakSample::impressions);
        if (!(committedToSent >= PIPELINE_KEEPS_UP_RATIO)) {
            return f(
                    "pipeline did NOT keep up (committed %.2f× of sent), trainer %s",
                    committedToSent,
                    trainerKeptUp() ? "kept up with it" : "did NOT keep up either");
        }
        return trainerKeptUp() ? "kept up" : "trainer did NOT keep up";
    }

    double trainedToCommitted() {
        return ratePerSecond(SoakSample::trained) / ratePerSecond(SoakSample::committed);
    }

    List<Figure> figures() {
        List<Figure> out = new ArrayList<>();
        out.add(figure("RSS", "MiB", series(SoakSample::rssKib), 1.0 / 1024));
        out.add(figure("threads", "", series(SoakSample::threads), 1));
        out.add(figure("open files", "", series(SoakSample::openFiles), 1));
        out.add(figure("of which RocksDB's", "", series(SoakSample::stateFiles), 1));
        out.add(figure("trainer lag", "samples", series(SoakSample::lag), 1));
        out.add(figure("heap used", "MiB", series(SoakSample::heapUsedBytes), 1.0 / (1 << 20)));
        out.add(
                figure(
                        "live heap after GC",
                        "MiB",
                        series(SoakSample::liveHeapBytes),
                        1.0 / (1 << 20)));
        return out;
    }

    private static Figure figure(String name, String unit, Series s, double scale) {
        if (s.size() < 2) {
            return new Figure(name, unit, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Figure(
                name,
                unit,
                s.first() * scale,
                s.last() * scale,
                s.max() * scale,
                s.slopePerSecond() * 60 * scale);
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
