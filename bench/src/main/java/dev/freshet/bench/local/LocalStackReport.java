package dev.freshet.bench.local;

import dev.freshet.bench.report.Chart;
import dev.freshet.bench.report.Figure;
import dev.freshet.bench.report.FigureSet;
import dev.freshet.bench.report.Stats;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.simulator.ScheduledEvent;
import dev.freshet.simulator.SimulatorConfig;
import dev.freshet.simulator.TrafficModel;
import dev.freshet.simulator.Truth;
import dev.freshet.trainer.metrics.Auc;
import dev.freshet.trainer.service.TrainerConfigFile;
import dev.freshet.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Summarises one {@code freshet local} run (bench/run-local-bench.sh) as Markdown: start-up per
 * component, throughput of each stage against the one feeding it, version freshness against its
 * ceiling (longest window + allowed lateness + publish interval), the last version's AUC per task
 * against the simulator's own true probabilities on the same windows (the best any model can do),
 * and the clean stop.
 *
 * <p>Arguments: the stack's directory, its captured stdout, the peak RSS in KiB.
 */
public final class LocalStackReport {

    private static final Pattern READY = Pattern.compile("^(\\S.*?)\\s+ready in\\s+([\\d.]+) s");
    private static final Pattern STATUS =
            Pattern.compile(
                    "^\\[(\\d+):(\\d+):(\\d+)\\] in ([\\d,]+) impr \\+ ([\\d,]+) eng  samples ([\\d,]+)"
                            + " \\(dlq ([\\d,]+), late ([\\d,]+)\\)");
    private static final Pattern LOG_TIME =
            Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
    private static final int ORACLE_REQUESTS = 40_000;

    private LocalStackReport() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> out = Files.readAllLines(Path.of(args[1]));
        long peakRssKib = Long.parseLong(args[2]);
        StringBuilder md = new StringBuilder();
        List<Figure> figures = new ArrayList<>();

        Map<String, Double> startup = new LinkedHashMap<>();
        String[] last = null;
        List<long[]> sentAt = new ArrayList<>(); // [elapsed seconds, impressions sent]
        for (String line : out) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                startup.put(m.group(1), Double.parseDouble(m.group(2)));
            }
            Matcher s = STATUS.matcher(line);
            if (s.find()) {
                last = new String[8];
                for (int i = 0; i < 8; i++) {
                    last[i] = s.group(i + 1).replace(",", "");
                }
                sentAt.add(
                        new long[] {
                            Long.parseLong(last[0]) * 3600
                                    + Long.parseLong(last[1]) * 60
                                    + Long.parseLong(last[2]),
                            Long.parseLong(last[3])
                        });
            }
        }
        double total = startup.values().stream().mapToDouble(Double::doubleValue).sum();
        md.append("| component | ready in (s) | share of start-up |\n| --- | ---: | ---: |\n");
        startup.forEach((k, v) -> md.append(f("| %s | %.1f | %.0f%% |\n", k, v, 100 * v / total)));
        md.append(f("| **all seven** | **%.1f** | 100%% |\n\n", total));

        Path config = dir.resolve("config.yaml");
        PipelineConfig pipeline =
                PipelineConfigFile.load(config, PipelineConfig.defaults("localhost:9092"));
        TrainerServiceConfig trainer = TrainerConfigFile.load(config, dir.resolve("trainer"));
        List<Manifest> versions = manifests(dir);

        if (last != null) {
            double seconds =
                    Integer.parseInt(last[0]) * 3600
                            + Integer.parseInt(last[1]) * 60
                            + Integer.parseInt(last[2]);
            long impressions = Long.parseLong(last[3]);
            long samples = Long.parseLong(last[5]);
            long trained =
                    versions.isEmpty()
                            ? 0
                            : versions.get(versions.size() - 1).lineage().samples().trained();
            // A sample is due once the longest window has closed in event time (the watermark
            // trails by the out-of-orderness) and the next checkpoint has committed it.
            long dueSeconds = emittedAfterMs(pipeline) / 1000;
            long due = 0;
            for (long[] p : sentAt) {
                if (p[0] <= seconds - dueSeconds) {
                    due = p[1];
                }
            }
            md.append("| stage | figure | against | ratio |\n| --- | ---: | --- | ---: |\n");
            md.append(
                    f(
                            "| simulator | %,.0f impressions/s | `--rate` asked | %.2f× |\n",
                            impressions / seconds, impressions / seconds / rateAsked(out)));
            md.append(
                    f(
                            "| pipeline | %,d samples committed | %,d impressions sent over %d s"
                                    + " before the end (longest window + out-of-orderness +"
                                    + " checkpoint interval), so due"
                                    + " | %.2f× |\n",
                            samples, due, dueSeconds, samples / (double) due));
            md.append(
                    f(
                            "| trainer | %,d samples in published versions | %,d committed |"
                                    + " %.2f× |\n\n",
                            trained, samples, trained / (double) samples));
            figures.add(
                    Figure.of(
                            "local.pipeline",
                            "Local stack: pipeline",
                            "samples committed",
                            samples,
                            "samples",
                            "impressions due (sent before the longest window + out-of-orderness + checkpoint interval)",
                            due,
                            Double.NaN,
                            false,
                            "the rest are the simulator's malformed and late records"));
            figures.add(
                    Figure.of(
                            "local.trainer",
                            "Local stack: trainer",
                            "samples in published versions",
                            trained,
                            "samples",
                            "samples committed",
                            samples,
                            Double.NaN,
                            false,
                            ""));
        }

        long ceilingMs = emittedAfterMs(pipeline) + trainer.publishEvery().toMillis();
        List<EventFreshness.Published> published = EventFreshness.published(versions);
        List<Double> freshness = new ArrayList<>();
        published.forEach(v -> freshness.add(v.lagSeconds()));
        freshness.sort(Double::compare);
        long passed =
                versions.stream()
                        .filter(m -> m.gates().stream().noneMatch(CheckResult::blocks))
                        .count();
        md.append(
                f(
                        "%d versions published, %d with every gate passed. Freshness of a version"
                                + " (created minus the newest event it learned from), against"
                                + " the ceiling longest window + out-of-orderness + checkpoint"
                                + " interval + publish interval = %.0f s:\n\n",
                        versions.size(), passed, ceilingMs / 1000.0));
        md.append("| freshness | seconds | of the ceiling |\n| --- | ---: | ---: |\n");
        for (double q : new double[] {0.5, 0.99}) {
            double v = quantile(freshness, q);
            md.append(f("| p%.0f | %.1f | %.2f× |\n", q * 100, v, v / (ceilingMs / 1000.0)));
        }
        md.append('\n');
        double windowBound = (longestWindowMs(pipeline) + 30_000) / 1000.0;
        double[] perEvent = EventFreshness.seconds(versions);
        md.append(
                f(
                        "Event → published freshness (every event's time to the first version that"
                                + " learned from it, from the versions' newest events), against the"
                                + " aim's bound longest window + 30 s = %.0f s:\n\n",
                        windowBound));
        md.append("| freshness | seconds | of the bound |\n| --- | ---: | ---: |\n");
        for (double q : new double[] {0.5, 0.99}) {
            double v = Stats.quantile(perEvent, q);
            md.append(f("| p%.0f | %.1f | %.2f× |\n", q * 100, v, v / windowBound));
            figures.add(
                    Figure.of(
                            "local.freshness.p" + Math.round(q * 100),
                            "Local stack: event → published",
                            f("freshness p%.0f, seconds", q * 100),
                            v,
                            "s",
                            "longest window + 30 s",
                            windowBound,
                            q == 0.99 ? 1.0 : Double.NaN,
                            true,
                            f(
                                    "%d versions, publish every %d s",
                                    versions.size(), trainer.publishEvery().toSeconds())));
        }
        md.append('\n');

        if (!versions.isEmpty()) {
            Manifest newest = versions.get(versions.size() - 1);
            Map<String, Double> oracle = oracleAuc(pipeline);
            md.append(
                    f(
                            "Quality of version %d (progressive AUC over its last %,d samples)"
                                    + " against the simulator's true probabilities scored on"
                                    + " %,d simulated impressions with the same windows:\n\n",
                            newest.version(),
                            trainer.windowSize(),
                            ORACLE_REQUESTS * SimulatorConfig.defaults().itemsPerRequest()));
            md.append(
                    "| task | version AUC | true-probability AUC (ceiling) | of the ceiling |\n"
                            + "| --- | ---: | ---: | ---: |\n");
            for (Map.Entry<String, TaskMetrics> e : newest.metrics().entrySet()) {
                double auc = e.getValue().auc();
                double ceiling = oracle.getOrDefault(e.getKey(), Double.NaN);
                md.append(
                        f(
                                "| %s | %.3f | %.3f | %.2f× |\n",
                                e.getKey(), auc, ceiling, auc / ceiling));
                figures.add(
                        Figure.of(
                                "local.auc." + e.getKey(),
                                "Local stack: model quality",
                                "AUC, " + e.getKey(),
                                auc,
                                "",
                                "true-probability AUC",
                                ceiling,
                                Double.NaN,
                                false,
                                "version " + newest.version()));
            }
            md.append('\n');
        }

        Path log = dir.resolve("freshet.log");
        if (Files.exists(log)) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            LocalDateTime stopFrom = time(lines, "LocalStack - Stopping simulator");
            LocalDateTime stopTo = time(lines, "LocalStack - Stopped Kafka");
            LocalDateTime trainerFrom = time(lines, "LocalStack - Stopping trainer");
            LocalDateTime trainerTo = time(lines, "LocalStack - Stopped trainer in");
            if (stopFrom != null && stopTo != null && trainerFrom != null && trainerTo != null) {
                double all = Duration.between(stopFrom, stopTo).toMillis() / 1000.0;
                double t = Duration.between(trainerFrom, trainerTo).toMillis() / 1000.0;
                md.append(
                        f(
                                "Clean stop: %.1f s for all seven components, of which the"
                                        + " trainer's last candidate (train, gate, publish) %.1f s"
                                        + " (%.0f%%).\n\n",
                                all, t, 100 * t / all));
            }
        }
        long machineKib = machineMemoryKib();
        md.append(
                f(
                        "Peak resident memory of the one process: %,d MiB, %.1f%% of the machine's"
                                + " %,d MiB.\n",
                        peakRssKib / 1024, 100.0 * peakRssKib / machineKib, machineKib / 1024));
        figures.add(
                Figure.of(
                        "local.rss",
                        "Local stack: memory",
                        "peak RSS of the one process, MiB",
                        peakRssKib / 1024.0,
                        "MiB",
                        "machine memory",
                        machineKib / 1024.0,
                        Double.NaN,
                        true,
                        ""));
        System.out.print(md);
        FigureSet.of(
                        "local",
                        "Local stack (bin/freshet local)",
                        "bench/run-local-bench.sh",
                        figures,
                        List.of(freshnessChart(versions, windowBound)))
                .writeTo(dir.toAbsolutePath().getParent());
    }

    /** Each version's lag (created minus its newest event) and the aim's bound, over time. */
    private static Chart freshnessChart(List<Manifest> versions, double bound) {
        List<Chart.Point> lag = new ArrayList<>();
        List<Chart.Point> limit = new ArrayList<>();
        List<EventFreshness.Published> published = EventFreshness.published(versions);
        for (EventFreshness.Published v : published) {
            double x = (v.createdMillis() - published.get(0).createdMillis()) / 1000.0;
            lag.add(Chart.Point.at(x, v.lagSeconds()));
            limit.add(Chart.Point.at(x, bound));
        }
        return new Chart(
                "local-freshness",
                "Local stack: each version's lag behind its newest event",
                Chart.Kind.LINE,
                "seconds since the first version",
                "seconds",
                false,
                List.of(
                        new Chart.Series("created − newest event", lag),
                        new Chart.Series("longest window + 30 s", limit)));
    }

    /** How long after its event time an impression's sample is committed, at the latest. */
    private static long emittedAfterMs(PipelineConfig pipeline) {
        return longestWindowMs(pipeline)
                + pipeline.maxOutOfOrderness().toMillis()
                + pipeline.checkpointInterval().toMillis();
    }

    /** AUC of the true probability against labels attributed with the pipeline's windows. */
    static Map<String, Double> oracleAuc(PipelineConfig pipeline) {
        SimulatorConfig config = SimulatorConfig.defaults().withShares(0, 0, 0);
        TrafficModel model = new TrafficModel(config, 0);
        Map<String, Truth> truths = new LinkedHashMap<>();
        Map<String, Map<String, Long>> delays = new HashMap<>();
        Map<String, Long> shownAt = new HashMap<>();
        for (int n = 0; n < ORACLE_REQUESTS; n++) {
            long t = 100L * n;
            for (ScheduledEvent e : model.request(t, truths::put)) {
                if (e.kind() == ScheduledEvent.Kind.IMPRESSION) {
                    shownAt.put(e.key(), t);
                } else if (e.kind() == ScheduledEvent.Kind.ENGAGEMENT) {
                    String json = new String(e.value(), StandardCharsets.UTF_8);
                    String type = json.replaceAll(".*\"type\":\"(\\w+)\".*", "$1");
                    long eventTime =
                            Long.parseLong(json.replaceAll(".*\"event_time\":(\\d+).*", "$1"));
                    delays.computeIfAbsent(e.key(), k -> new HashMap<>()).put(type, eventTime - t);
                }
            }
        }
        Map<String, Double> auc = new LinkedHashMap<>();
        int n = truths.size();
        for (String task : List.of("click", "save", "hide", "pay")) {
            if (!pipeline.tasks().tasks().contains(task)) {
                continue;
            }
            long window = pipeline.tasks().windowMillis(task);
            float[] scores = new float[n];
            float[] labels = new float[n];
            float[] weights = new float[n];
            int i = 0;
            for (Map.Entry<String, Truth> e : truths.entrySet()) {
                scores[i] = (float) e.getValue().of(task);
                Long d = delays.getOrDefault(e.getKey(), Map.of()).get(task);
                labels[i] = d != null && d <= window ? 1f : 0f;
                weights[i] = 1f;
                i++;
            }
            auc.put(task, Auc.auc(scores, labels, weights, n));
        }
        return auc;
    }

    private static long longestWindowMs(PipelineConfig pipeline) {
        return pipeline.tasks().tasks().stream()
                .mapToLong(pipeline.tasks()::windowMillis)
                .max()
                .orElse(0);
    }

    private static List<Manifest> manifests(Path dir) throws IOException {
        Path versions = dir.resolve("s3/buckets/freshet/models/ranking/versions");
        if (!Files.isDirectory(versions)) {
            return List.of();
        }
        List<Manifest> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(versions)) {
            for (Path v : list.toList()) {
                Path m = v.resolve("manifest.json");
                if (Files.exists(m)) {
                    out.add(ManifestJson.parse(Files.readAllBytes(m)));
                }
            }
        }
        out.sort((a, b) -> Long.compare(a.version(), b.version()));
        return out;
    }

    private static LocalDateTime time(List<String> lines, String marker) {
        for (String l : lines) {
            if (l.contains(marker)) {
                Matcher m = LOG_TIME.matcher(l);
                if (m.find()) {
                    return LocalDateTime.parse(
                            m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
                }
            }
        }
        return null;
    }

    private static double rateAsked(List<String> out) {
        for (String l : out) {
            Matcher m = Pattern.compile("simulator .*?([\\d,]+) impressions/s").matcher(l);
            if (m.find()) {
                return Double.parseDouble(m.group(1).replace(",", ""));
            }
        }
        return Double.NaN;
    }

    private static long machineMemoryKib() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith("MemTotal:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return 1;
    }

    private static double quantile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
