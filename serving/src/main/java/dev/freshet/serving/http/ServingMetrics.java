package dev.freshet.serving.http;

import dev.freshet.serving.model.FailureReason;
import dev.freshet.serving.model.LoadFailure;
import dev.freshet.serving.model.ModelSlot;
import dev.freshet.serving.model.ModelWatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The replica's meters, scraped as Prometheus text: impressions scored, requests by outcome, swaps,
 * load failures by reason, and the served version (0 before the first).
 */
public final class ServingMetrics implements ModelWatcher.Listener {

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter scored;
    private final Counter swaps;

    public ServingMetrics(ModelSlot slot) {
        this.scored =
                Counter.builder("freshet_serving_impressions_scored")
                        .description("Impressions scored")
                        .register(registry);
        this.swaps =
                Counter.builder("freshet_serving_swaps")
                        .description("Versions swapped in")
                        .register(registry);
        Gauge.builder(
                        "freshet_serving_served_version",
                        slot,
                        s -> s.servedVersion() == null ? 0 : s.servedVersion())
                .description("The model version being served, 0 before the first")
                .register(registry);
        for (FailureReason r : FailureReason.values()) {
            failures(r);
        }
        for (String outcome : new String[] {"ok", "invalid", "no_model", "error"}) {
            requests(outcome);
        }
    }

    void scored(int impressions) {
        scored.increment(impressions);
    }

    void request(String outcome) {
        requests(outcome).increment();
    }

    @Override
    public void swapped(Long from, long to) {
        swaps.increment();
    }

    @Override
    public void failed(LoadFailure failure) {
        failures(failure.reason()).increment();
    }

    private Counter requests(String outcome) {
        return Counter.builder("freshet_serving_requests")
                .description("Scoring requests by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter failures(FailureReason reason) {
        return Counter.builder("freshet_serving_load_failures")
                .description("Failures to serve a version (or reach the registry), by reason")
                .tag("reason", reason.wireName())
                .register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
