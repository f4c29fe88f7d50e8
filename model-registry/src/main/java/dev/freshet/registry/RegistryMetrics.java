package dev.freshet.registry;

import dev.freshet.registry.http.HttpAdapter;
import dev.freshet.registry.index.ModelRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/** The registry's Prometheus meters: requests by route and status, and what the index holds. */
public final class RegistryMetrics implements HttpAdapter.Listener {

    private final PrometheusMeterRegistry meters =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public RegistryMetrics(ModelRegistry registry) {
        Gauge.builder("freshet_registry_models", registry, r -> r.snapshot().models().size())
                .description("Models in the index")
                .register(meters);
        Gauge.builder(
                        "freshet_registry_versions",
                        registry,
                        r ->
                                r.snapshot().models().values().stream()
                                        .mapToInt(m -> m.versions().size())
                                        .sum())
                .description("Published versions in the index, all models")
                .register(meters);
        Gauge.builder("freshet_registry_index_generation", registry, r -> r.snapshot().generation())
                .description("Times the index changed since start")
                .register(meters);
    }

    @Override
    public void completed(String method, String route, int status, long nanos) {
        Timer.builder("freshet_registry_http_requests")
                .description("HTTP requests by route template and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public String scrape() {
        return meters.scrape();
    }
}
