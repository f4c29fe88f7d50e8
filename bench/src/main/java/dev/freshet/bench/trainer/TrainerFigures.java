package dev.freshet.bench.trainer;

import dev.freshet.bench.report.Chart;
import dev.freshet.bench.report.Figure;
import dev.freshet.bench.report.FigureSet;
import dev.freshet.bench.report.Stats;
import dev.freshet.bench.trainer.TrainerBenchmark.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The trainer benchmark's headline figures: samples/s against PyTorch eager at each batch size, the
 * share of the machine's matrix-multiply rate the training step reaches, and step time as the
 * embedding tables grow.
 */
final class TrainerFigures {

    static final String STAGE = "Trainer (one thread)";
    static final String DENSE = "pytorch dense-adam";
    static final String SPARSE = "pytorch sparse-adam";

    private TrainerFigures() {}

    /**
     * @param flopsPerSample matrix-multiply FLOPs of one training sample ({@link ModelFlops})
     * @param gemmGflops DJL's matrix-multiply rate on one thread, GFLOP/s, same run
     */
    static FigureSet of(
            TrainerBenchmark.Options o,
            List<Measurement> all,
            int baseRows,
            double flopsPerSample,
            double gemmGflops) {
        List<Figure> figures = new ArrayList<>();
        for (int batch : o.batches()) {
            double ours = median(all, "freshet", baseRows, batch, Measurement::samplesPerCpuSecond);
            double peer = median(all, DENSE, baseRows, batch, Measurement::samplesPerCpuSecond);
            figures.add(
                    Figure.of(
                            "trainer.samples_per_cpu_s." + batch,
                            STAGE,
                            "samples per CPU-second, batch " + batch,
                            ours,
                            "samples/CPU-s",
                            "PyTorch eager (Debian torch)",
                            peer,
                            batch == 512 ? 1.0 : Double.NaN,
                            false,
                            String.format(Locale.ROOT, "%,d-row tables", baseRows)));
        }
        int roofBatch = o.batches()[o.batches().length - 1];
        double wall = median(all, "freshet", baseRows, roofBatch, Measurement::samplesPerSecond);
        double achieved = wall * flopsPerSample / 1e9;
        figures.add(
                Figure.of(
                        "trainer.roofline." + roofBatch,
                        STAGE,
                        "model GFLOP/s at batch " + roofBatch,
                        achieved,
                        "GFLOP/s",
                        "matrix-multiply rate, same libtorch",
                        gemmGflops,
                        0.40,
                        false,
                        String.format(
                                Locale.ROOT,
                                "%.0fk FLOPs per sample × %,.0f samples/s",
                                flopsPerSample / 1e3,
                                wall)));
        int biggest = o.rows()[o.rows().length - 1];
        double oursMs = median(all, "freshet", biggest, o.growthBatch(), Measurement::cpuMsPerStep);
        double denseMs = median(all, DENSE, biggest, o.growthBatch(), Measurement::cpuMsPerStep);
        figures.add(
                new Figure(
                        "trainer.big_tables",
                        STAGE,
                        String.format(
                                Locale.ROOT,
                                "CPU-ms per step, %,d-row tables, batch %d",
                                biggest,
                                o.growthBatch()),
                        oursMs,
                        "ms",
                        "PyTorch eager, dense Adam",
                        denseMs,
                        denseMs / oursMs,
                        3.0,
                        false,
                        "ratio is the speed-up"));
        return FigureSet.of(
                "trainer",
                "Trainer vs PyTorch eager",
                "bench/run-trainer-bench.sh --runs " + o.runs() + " --jvm-warmup " + o.jvmWarmup(),
                figures,
                List.of(throughput(o, all, baseRows), growth(o, all)));
    }

    private static Chart throughput(TrainerBenchmark.Options o, List<Measurement> all, int rows) {
        List<Chart.Series> series = new ArrayList<>();
        for (String impl : TrainerBenchmark.IMPLS) {
            List<Chart.Point> points = new ArrayList<>();
            for (int batch : o.batches()) {
                points.add(
                        Chart.Point.bar(
                                "batch " + batch,
                                median(all, impl, rows, batch, Measurement::samplesPerCpuSecond)));
            }
            series.add(new Chart.Series(label(impl), points));
        }
        return new Chart(
                "trainer-throughput",
                "Trainer: samples per CPU-second, one thread",
                Chart.Kind.BAR,
                "",
                "samples per CPU-second",
                false,
                series);
    }

    private static Chart growth(TrainerBenchmark.Options o, List<Measurement> all) {
        List<Chart.Series> series = new ArrayList<>();
        for (String impl : TrainerBenchmark.IMPLS) {
            List<Chart.Point> points = new ArrayList<>();
            for (int rows : o.rows()) {
                points.add(
                        Chart.Point.at(
                                rows,
                                median(
                                        all,
                                        impl,
                                        rows,
                                        o.growthBatch(),
                                        Measurement::cpuMsPerStep)));
            }
            series.add(new Chart.Series(label(impl), points));
        }
        return new Chart(
                "trainer-growth",
                "Trainer: CPU-ms per step as the user and item tables grow (batch "
                        + o.growthBatch()
                        + ")",
                Chart.Kind.LINE,
                "rows per big table",
                "CPU-ms per step",
                true,
                series);
    }

    private static String label(String impl) {
        return switch (impl) {
            case "freshet" -> "Freshet";
            case DENSE -> "PyTorch eager, dense Adam";
            case SPARSE -> "PyTorch eager, SparseAdam";
            default -> impl;
        };
    }

    /** The median of one implementation's measurements at one table size and batch. */
    static double median(
            List<Measurement> all,
            String impl,
            int rows,
            int batch,
            ToDoubleFunction<Measurement> metric) {
        return Stats.median(
                all.stream()
                        .filter(
                                m ->
                                        m.impl().equals(impl)
                                                && m.rows() == rows
                                                && m.batch() == batch)
                        .mapToDouble(metric)
                        .toArray());
    }
}
