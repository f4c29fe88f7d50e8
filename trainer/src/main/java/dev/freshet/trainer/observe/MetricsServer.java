package dev.freshet.trainer.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's HTTP endpoint for Prometheus and the orchestrator's probes, on the JDK's built-in
 * server with one request thread.
 *
 * <ul>
 *   <li>{@code GET /metrics}: 200, the Prometheus text format
 *   <li>{@code GET /healthz}: 200 {@code {"status":"UP"}} while the process serves at all
 *   <li>{@code GET /readyz}: 200 {@code {"status":"READY"}} or 503 {@code {"status":"NOT_READY"}}
 *   <li>any other path: 404, any other method on these paths: 405, both with {@code {"error":...}}
 * </ul>
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String JSON_CONTENT_TYPE = "application/json";

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on all interfaces.
     *
     * @param port the port, or 0 for any free one (see {@link #port()})
     * @param metrics the meters to serve on {@code /metrics}
     * @param ready whether the trainer is ready, asked on every {@code /readyz}
     * @throws IOException if the port cannot be bound
     */
    public static MetricsServer start(int port, TrainerMetrics metrics, BooleanSupplier ready)
            throws IOException {
        HttpHandler routing = routing(metrics, ready);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        ExecutorService executor =
                Executors.newSingleThreadExecutor(
                        task -> {
                            Thread thread = new Thread(task, "freshet-metrics-http");
                            thread.setDaemon(true);
                            return thread;
                        });
        server.setExecutor(executor);
        server.createContext("/", routing);
        server.start();
        LOG.info("Metrics server listening on port {}", server.getAddress().getPort());
        return new MetricsServer(server, executor);
    }

    /** The routes, as one handler to mount at {@code /} of any {@link HttpServer}. */
    public static HttpHandler routing(TrainerMetrics metrics, BooleanSupplier ready) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(ready, "ready");
        Map<String, Supplier<Response>> routes =
                Map.of(
                        "/metrics",
                        () -> new Response(200, METRICS_CONTENT_TYPE, metrics.scrape()),
                        "/healthz",
                        () -> Response.json(200, "{\"status\":\"UP\"}"),
                        "/readyz",
                        () ->
                                ready.getAsBoolean()
                                        ? Response.json(200, "{\"status\":\"READY\"}")
                                        : Response.json(503, "{\"status\":\"NOT_READY\"}"));
        return exchange -> handle(routes, exchange);
    }

    /** The bound port; the actual one when started with port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving and releases the port; further calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Metrics server on port {} stopped", server.getAddress().getPort());
    }

    private static void handle(Map<String, Supplier<Response>> routes, HttpExchange exchange)
            throws IOException {
        try {
            Supplier<Response> route = routes.get(exchange.getRequestURI().getPath());
            Response response;
            if (route == null) {
                response = Response.error(404, "not found");
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                response = Response.error(405, "method not allowed");
            } else {
                response = answer(route);
            }
            send(exchange, response);
        } finally {
            exchange.close();
        }
    }

    private static Response answer(Supplier<Response> route) {
        try {
            return route.get();
        } catch (RuntimeException e) {
            LOG.warn("Metrics endpoint failed", e);
            return Response.error(500, "internal error");
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private record Response(int status, String contentType, String body) {
        static Response json(int status, String body) {
            return new Response(status, JSON_CONTENT_TYPE, body);
        }

        static Response error(int status, String message) {
            // Messages are fixed strings without characters that need escaping.
            return json(status, "{\"error\":\"" + message + "\"}");
        }
    }
}
