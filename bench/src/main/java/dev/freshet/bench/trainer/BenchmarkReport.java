package dev.freshet.bench.trainer;

import dev.freshet.bench.trainer.TrainerBenchmark.Measurement;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The trainer benchmark's Markdown tables: medians over runs, ratios against PyTorch. */
final class BenchmarkReport {

    private BenchmarkReport() {}

    static String markdown(
            TrainerBenchmark.Options o, List<Measurement> all, int baseRows, double[] gemm) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.runtime.version"))
                .append(". One thread each. ")
                .append(o.samples())
                .append(" samples, ")
                .append(o.warmup())
                .append(" warm-up steps (")
                .append(o.jvmWarmup())
                .append(" for the JVM, whose JIT warms up) + ")
                .append(o.steps())
                .append(" timed steps per measurement, median of ")
                .append(o.runs())
                .append(" runs.\n\n");
        sb.append("### Throughput, default config, ")
                .append(baseRows)
                .append(" rows per big table\n\n");
        sb.append(
                "| batch | measure | Freshet | PyTorch (dense Adam) | PyTorch (SparseAdam) |"
                        + " Freshet / dense | Freshet / SparseAdam |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|\n");
        for (int batch : batches(all, baseRows)) {
            for (Metric metric : List.of(Metric.PER_CPU_SECOND, Metric.PER_SECOND)) {
                double ours = median(all, "freshet", baseRows, batch, metric);
                double dense = median(all, "pytorch dense-adam", baseRows, batch, metric);
                double sparse = median(all, "pytorch sparse-adam", baseRows, batch, metric);
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %s | %,.0f | %,.0f | %,.0f | %.2f× | %.2f× |%n",
                                batch,
                                metric.label,
                                ours,
                                dense,
                                sparse,
                                ours / dense,
                                ours / sparse));
            }
        }
        sb.append("\n### Step time as the user and item tables grow, batch ")
                .append(o.growthBatch())
                .append("\n\n");
        sb.append(
                "| rows per big table | Freshet CPU-ms/step | PyTorch dense Adam | PyTorch"
                        + " SparseAdam | Freshet speed-up vs dense | vs SparseAdam |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|\n");
        for (int rows : o.rows()) {
            double ours = median(all, "freshet", rows, o.growthBatch(), Metric.CPU_MS);
            double dense = median(all, "pytorch dense-adam", rows, o.growthBatch(), Metric.CPU_MS);
            double sparse =
                    median(all, "pytorch sparse-adam", rows, o.growthBatch(), Metric.CPU_MS);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %,d | %.2f | %.2f | %.2f | %.2f× | %.2f× |%n",
                            rows,
                            ours,
                            dense,
                            sparse,
                            dense / ours,
                            sparse / ours));
        }
        sb.append(
                "\nFinal training loss of the last timed step (sanity: same model, same data):\n\n");
        for (Measurement m : all) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "- %s rows %d batch %d: %.4f%n",
                            m.impl(),
                            m.rows(),
                            m.batch(),
                            m.loss()));
        }
        return sb.toString();
    }

    private static TreeSet<Integer> batches(List<Measurement> all, int rows) {
        TreeSet<Integer> out = new TreeSet<>();
        all.stream().filter(m -> m.rows() == rows).forEach(m -> out.add(m.batch()));
        return out;
    }

    enum Metric {
        PER_CPU_SECOND("samples/CPU-s"),
        PER_SECOND("samples/s (wall)"),
        CPU_MS("CPU-ms/step");

        final String label;

        Metric(String label) {
            this.label = label;
        }

        double of(Measurement m) {
            return switch (this) {
                case PER_CPU_SECOND -> m.samplesPerCpuSecond();
                case PER_SECOND -> m.samplesPerSecond();
                case CPU_MS -> m.cpuMsPerStep();
            };
        }
    }

    private static double median(
            List<Measurement> all, String impl, int rows, int batch, Metric metric) {
        return TrainerFigures.median(all, impl, rows, batch, metric::of);
    }
}
