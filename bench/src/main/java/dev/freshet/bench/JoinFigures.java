package dev.freshet.bench;

import dev.freshet.bench.report.Chart;
import dev.freshet.bench.report.Figure;
import dev.freshet.bench.report.FigureSet;
import dev.freshet.bench.report.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The join benchmark's headline figures for the generated summary: medians of paired runs. */
final class JoinFigures {

    static final double AIM = 1.5;

    private JoinFigures() {}

    static FigureSet of(BenchOptions o, List<JobMeasurement.Result> results) {
        boolean features = o.childJvmOpts().contains("-Dfreshet.bench.features=true");
        String stage = features ? "Label join + features" : "Label join";
        String note =
                (features ? "features on, " : "")
                        + "median of "
                        + o.runs()
                        + " paired runs, "
                        + String.format(java.util.Locale.ROOT, "%,d", o.impressions())
                        + " impressions";
        List<Figure> figures = new ArrayList<>();
        figures.add(
                paired(
                        "join.events_per_cpu_s",
                        stage,
                        "events per CPU-second (per core)",
                        "events/CPU-s",
                        results,
                        JobMeasurement.Result::eventsPerCpuSecond,
                        AIM,
                        note));
        figures.add(
                paired(
                        "join.events_per_s",
                        stage,
                        "events per second, wall clock",
                        "events/s",
                        results,
                        JobMeasurement.Result::eventsPerSecond,
                        Double.NaN,
                        "parallelism " + o.parallelism()));
        List<Chart.Point> ours = new ArrayList<>();
        List<Chart.Point> sql = new ArrayList<>();
        for (JobMeasurement.Result r : results) {
            (r.job().equals("ours") ? ours : sql)
                    .add(Chart.Point.bar("run " + r.run(), r.eventsPerCpuSecond()));
        }
        Chart chart =
                new Chart(
                        "join",
                        stage + ": events per CPU-second, ours vs Flink SQL",
                        Chart.Kind.BAR,
                        "",
                        "events per CPU-second",
                        false,
                        List.of(
                                new Chart.Series("Freshet", ours),
                                new Chart.Series("Flink SQL", sql)));
        return FigureSet.of(
                "join",
                "Label join vs Flink SQL",
                "bench/run-join-bench.sh --runs " + o.runs(),
                figures,
                List.of(chart));
    }

    /** Median of ours and of SQL, and the median of the per-run ratios ours / SQL. */
    private static Figure paired(
            String id,
            String stage,
            String measure,
            String unit,
            List<JobMeasurement.Result> results,
            ToDoubleFunction<JobMeasurement.Result> metric,
            double aim,
            String note) {
        List<Double> ours = new ArrayList<>();
        List<Double> sql = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (JobMeasurement.Result r : results) {
            if (!r.job().equals("ours")) {
                continue;
            }
            double o = metric.applyAsDouble(r);
            ours.add(o);
            results.stream()
                    .filter(s -> s.job().equals("sql") && s.run() == r.run())
                    .findFirst()
                    .ifPresent(
                            s -> {
                                sql.add(metric.applyAsDouble(s));
                                ratios.add(o / metric.applyAsDouble(s));
                            });
        }
        return new Figure(
                id,
                stage,
                measure,
                Stats.median(ours),
                unit,
                "Flink SQL version",
                Stats.median(sql),
                Stats.median(ratios),
                aim,
                false,
                note);
    }
}
