package dev.freshet.trainer.experiment;

import dev.freshet.manifest.TaskMetrics;
import dev.freshet.trainer.metrics.Reproducibility;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The study's table, as the paper lays it out: per config, the HIT@k gain against the baseline, AUC
 * and log loss per task, peak training memory as a share of the device, the inference latency
 * change against the baseline, parameter counts and reproducibility (the standard deviation of
 * HIT@k across seeds). Metrics are means over seeds; the latency is the fastest seed's median.
 */
public record ExperimentTable(
        String baseline, String hitLabel, List<String> tasks, List<Row> rows) {

    public ExperimentTable {
        tasks = List.copyOf(tasks);
        rows = List.copyOf(rows);
    }

    /**
     * One config's line.
     *
     * @param hitGainPercent (hit / baseline's hit - 1) x 100; 0 for the baseline itself
     * @param hitStd the sample standard deviation of HIT@k across seeds (0 for a single seed)
     * @param auc per task, in {@link #tasks} order, NaN where the config has no such task
     * @param peakMemoryPercent peak training memory as % of the device's memory
     * @param latencyChangePercent (latency / baseline's - 1) x 100
     */
    public record Row(
            String name,
            int seeds,
            int batchSize,
            double hit,
            double hitGainPercent,
            double hitStd,
            double[] auc,
            double[] logLoss,
            double peakMemoryPercent,
            long peakMemoryBytes,
            double latencyMillis,
            double latencyChangePercent,
            long denseParams,
            long embeddingParams,
            long refusedSteps) {}

    /**
     * @param baseline the name of the config the gains and latency changes are measured against
     * @throws IllegalArgumentException if no result has that name
     */
    public static ExperimentTable of(List<ConfigResult> results, String baseline) {
        ConfigResult base =
                results.stream()
                        .filter(r -> r.name().equals(baseline))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "the baseline "
                                                        + baseline
                                                        + " is not one of the configs"));
        Set<String> tasks = new LinkedHashSet<>();
        results.forEach(r -> r.runs().get(0).tasks().forEach(t -> tasks.add(t.task())));
        List<String> taskList = List.copyOf(tasks);
        double baseHit = meanHit(base);
        double baseLatency = latency(base);
        List<Row> rows = new ArrayList<>();
        for (ConfigResult r : results) {
            double hit = meanHit(r);
            double lat = latency(r);
            rows.add(
                    new Row(
                            r.name(),
                            r.runs().size(),
                            r.batchSize(),
                            hit,
                            (hit / baseHit - 1) * 100,
                            Reproducibility.std(
                                    r.runs().stream().mapToDouble(RunResult::hit).toArray()),
                            perTask(r, taskList, TaskMetrics::auc),
                            perTask(r, taskList, TaskMetrics::logLoss),
                            100.0 * r.peakMemoryBytes() / r.deviceMemoryBytes(),
                            r.peakMemoryBytes(),
                            lat,
                            (lat / baseLatency - 1) * 100,
                            r.denseParams(),
                            r.embeddingParams(),
                            r.runs().stream().mapToLong(RunResult::refusedSteps).sum()));
        }
        String hitLabel = "HIT@" + hitK(results) + "/" + base.hitTask();
        return new ExperimentTable(baseline, hitLabel, taskList, rows);
    }

    /** The table in GitHub Markdown. */
    public String markdown() {
        List<String> header = header();
        StringBuilder md = new StringBuilder();
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append("---|".repeat(header.size())).append('\n');
        for (Row row : rows) {
            md.append("| ").append(String.join(" | ", cells(row, false))).append(" |\n");
        }
        return md.toString();
    }

    /** The table as CSV, full precision, one header line. */
    public String csv() {
        StringBuilder csv = new StringBuilder(String.join(",", csvHeader())).append('\n');
        for (Row row : rows) {
            csv.append(String.join(",", cells(row, true))).append('\n');
        }
        return csv.toString();
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("config", "seeds", "batch", hitLabel, "gain %"));
        tasks.forEach(t -> h.add("AUC " + t));
        tasks.forEach(t -> h.add("log loss " + t));
        h.addAll(
                List.of(
                        "peak memory % (MiB)",
                        "latency ms/batch",
                        "latency change %",
                        "dense params",
                        "embedding params",
                        "std " + hitLabel));
        return h;
    }

    private List<String> csvHeader() {
        List<String> h =
                new ArrayList<>(List.of("config", "seeds", "batch_size", "hit", "gain_pct"));
        tasks.forEach(t -> h.add("auc_" + t));
        tasks.forEach(t -> h.add("log_loss_" + t));
        h.addAll(
                List.of(
                        "peak_memory_pct",
                        "peak_memory_bytes",
                        "latency_ms",
                        "latency_change_pct",
                        "dense_params",
                        "embedding_params",
                        "hit_std",
                        "refused_steps"));
        return h;
    }

    private List<String> cells(Row r, boolean csv) {
        List<String> c = new ArrayList<>();
        c.add(
                csv
                        ? quote(r.name())
                        : (r.name().equals(baseline) ? "**" + r.name() + "**" : r.name()));
        c.add(Integer.toString(r.seeds()));
        c.add(Integer.toString(r.batchSize()));
        c.add(number(r.hit(), csv, "%.4f"));
        c.add(number(r.hitGainPercent(), csv, "%+.2f"));
        Arrays.stream(r.auc()).forEach(v -> c.add(number(v, csv, "%.4f")));
        Arrays.stream(r.logLoss()).forEach(v -> c.add(number(v, csv, "%.4f")));
        if (csv) {
            c.add(number(r.peakMemoryPercent(), true, null));
            c.add(Long.toString(r.peakMemoryBytes()));
        } else {
            c.add(
                    String.format(
                            Locale.ROOT,
                            "%.1f (%d)",
                            r.peakMemoryPercent(),
                            r.peakMemoryBytes() >> 20));
        }
        c.add(number(r.latencyMillis(), csv, "%.2f"));
        c.add(number(r.latencyChangePercent(), csv, "%+.1f"));
        c.add(Long.toString(r.denseParams()));
        c.add(Long.toString(r.embeddingParams()));
        c.add(number(r.hitStd(), csv, "%.4f"));
        if (csv) {
            c.add(Long.toString(r.refusedSteps()));
        }
        return c;
    }

    private static String number(double v, boolean csv, String format) {
        if (Double.isNaN(v)) {
            return csv ? "" : "n/a";
        }
        return csv ? Double.toString(v) : String.format(Locale.ROOT, format, v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static double meanHit(ConfigResult r) {
        return r.runs().stream().mapToDouble(RunResult::hit).average().orElse(Double.NaN);
    }

    /**
     * The fastest seed's median: the model's cost is the same for every seed, and interference from
     * the machine (other processes, the collector) only ever adds time.
     */
    private static double latency(ConfigResult r) {
        return r.runs().stream().mapToDouble(RunResult::latencyMillis).min().orElse(Double.NaN);
    }

    private static double[] perTask(
            ConfigResult r, List<String> tasks, ToDoubleFunction<TaskMetrics> f) {
        double[] out = new double[tasks.size()];
        for (int t = 0; t < tasks.size(); t++) {
            String task = tasks.get(t);
            out[t] =
                    r.runs().stream()
                            .flatMap(run -> run.tasks().stream())
                            .filter(m -> m.task().equals(task))
                            .mapToDouble(f)
                            .average()
                            .orElse(Double.NaN);
        }
        return out;
    }

    private static int hitK(List<ConfigResult> results) {
        return results.isEmpty() ? 0 : results.get(0).hitK();
    }
}
