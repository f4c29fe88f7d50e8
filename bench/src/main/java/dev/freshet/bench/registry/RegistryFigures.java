package dev.freshet.bench.registry;

import dev.freshet.bench.report.Chart;
import dev.freshet.bench.report.Figure;
import dev.freshet.bench.report.FigureSet;
import dev.freshet.bench.report.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The registry benchmark's headline figures: lookups under load against a bare JDK server. */
final class RegistryFigures {

    static final String STAGE = "Registry alias lookup";
    static final double P99_BOUND_MS = 5.0;

    private RegistryFigures() {}

    static FigureSet of(
            RegistryBenchmark.Measured m, int connections, double rate, Duration refresh) {
        double regP99 = median(m.registryRate(), r -> r.percentileMillis(99));
        double bareP99 = median(m.bareRate(), r -> r.percentileMillis(99));
        double achieved = median(m.registryRate(), HttpLoad.Result::requestsPerSecond);
        List<Figure> figures = new ArrayList<>();
        figures.add(
                Figure.of(
                        "registry.p99_at_rate",
                        STAGE,
                        String.format(Locale.ROOT, "p99 ms at %,.0f req/s", achieved),
                        regP99,
                        "ms",
                        "aim's bound",
                        P99_BOUND_MS,
                        1.0,
                        true,
                        String.format(
                                Locale.ROOT,
                                "open loop, %d connections; bare server's p99 %.2f ms",
                                connections,
                                bareP99)));
        figures.add(
                Figure.of(
                        "registry.p99_vs_bare",
                        STAGE,
                        String.format(Locale.ROOT, "p99 ms at %,.0f req/s", rate),
                        regP99,
                        "ms",
                        "bare JDK HttpServer, same bytes",
                        bareP99,
                        Double.NaN,
                        true,
                        ""));
        figures.add(
                Figure.of(
                        "registry.max_req_s",
                        STAGE,
                        "req/s, closed loop",
                        median(m.registryClosed(), HttpLoad.Result::requestsPerSecond),
                        "req/s",
                        "bare JDK HttpServer, same bytes",
                        median(m.bareClosed(), HttpLoad.Result::requestsPerSecond),
                        Double.NaN,
                        false,
                        connections + " keep-alive connections; client shares the 2 cores"));
        figures.add(
                Figure.of(
                        "registry.long_poll",
                        "Registry long-poll",
                        "manifest written → long-poll answered, p50 ms, trainer registers",
                        m.longPollP50()[0],
                        "ms",
                        "index refresh interval",
                        refresh.toMillis(),
                        Double.NaN,
                        true,
                        String.format(
                                Locale.ROOT,
                                "without the register call %.0f ms",
                                m.longPollP50()[1])));
        List<Chart.Point> bare = new ArrayList<>();
        List<Chart.Point> reg = new ArrayList<>();
        for (double q : new double[] {50, 90, 99, 99.9}) {
            String label =
                    "p" + (q == Math.rint(q) ? Integer.toString((int) q) : Double.toString(q));
            bare.add(Chart.Point.bar(label, median(m.bareRate(), r -> r.percentileMillis(q))));
            reg.add(Chart.Point.bar(label, median(m.registryRate(), r -> r.percentileMillis(q))));
        }
        Chart chart =
                new Chart(
                        "registry-latency",
                        String.format(
                                Locale.ROOT,
                                "Alias lookup latency at %,.0f req/s (open loop)",
                                rate),
                        Chart.Kind.BAR,
                        "",
                        "ms",
                        false,
                        List.of(
                                new Chart.Series("registry", reg),
                                new Chart.Series("bare JDK HttpServer", bare)));
        return FigureSet.of(
                "registry",
                "Registry lookups and long-poll",
                "bench/run-registry-bench.sh",
                figures,
                List.of(chart));
    }

    private static double median(
            List<HttpLoad.Result> results, ToDoubleFunction<HttpLoad.Result> metric) {
        return Stats.median(results.stream().mapToDouble(metric).toArray());
    }
}
