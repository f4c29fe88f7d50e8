package dev.freshet.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.serving.model.LoadFailure;
import dev.freshet.serving.model.ModelSlot;
import dev.freshet.serving.score.InvalidInputException;
import dev.freshet.serving.score.NoModelException;
import dev.freshet.serving.score.Scorer;
import dev.freshet.serving.score.Scores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's HTTP API on the JDK server:
 *
 * <ul>
 *   <li>{@code POST /score}: one impression or an array of them; 200 with the version and the
 *       scores, 400 with a JSON error for input that cannot be scored, 413 past the body limit, 503
 *       before a model is loaded
 *   <li>{@code GET /status}: the served version and the last failure
 *   <li>{@code GET /healthz}: 200 while the process serves; {@code GET /readyz}: 200 once a model
 *       is loaded, else 503
 *   <li>{@code GET /metrics}: Prometheus text
 * </ul>
 *
 * Every error is {@code {"error": "...", "reason": "...", "field": "...", "index": n}} (field and
 * index only when known).
 */
public final class ServingServer implements AutoCloseable {

    /** How much of an oversized body is read and dropped before answering 413. */
    private static final long DRAIN_LIMIT = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ServingServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** What the routes read: the scorer, the slot, the watcher's last failure, the meters. */
    public record Context(
            Scorer scorer,
            ModelSlot slot,
            Supplier<LoadFailure> lastFailure,
            ServingMetrics metrics,
            int maxBodyBytes) {}

    private final HttpServer server;
    private final ExecutorService executor;

    private ServingServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on all interfaces; {@code port} 0 picks a free one (see {@link #port()}). */
    public static ServingServer start(int port, int threads, Context context) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        threads,
                        task -> {
                            Thread t = new Thread(task, "freshet-serving-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", routing(context));
        server.start();
        LOG.info("Serving on port {}", server.getAddress().getPort());
        return new ServingServer(server, executor);
    }

    /** The routes, as one handler to mount at {@code /} of any {@link HttpServer}. */
    public static HttpHandler routing(Context context) {
        return exchange -> {
            try (exchange) {
                route(context, exchange);
            } catch (RuntimeException e) {
                LOG.error("Request {} failed", exchange.getRequestURI(), e);
                context.metrics().request("error");
                send(exchange, 500, error("internal error", "internal", null, -1));
            }
        };
    }

    private static void route(Context c, HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String wanted =
                switch (path) {
                    case "/score" -> "POST";
                    case "/status", "/healthz", "/readyz", "/metrics" -> "GET";
                    default -> null;
                };
        if (wanted == null) {
            send(exchange, 404, error("no such resource: " + path, "not_found", null, -1));
            return;
        }
        if (!wanted.equals(method)) {
            exchange.getResponseHeaders().set("Allow", wanted);
            send(exchange, 405, error(method + " not allowed on " + path, "method", null, -1));
            return;
        }
        switch (path) {
            case "/score" -> score(c, exchange);
            case "/status" -> send(exchange, 200, status(c));
            case "/healthz" -> send(exchange, 200, Map.of("status", "UP"));
            case "/readyz" -> {
                boolean ready = c.slot().servedVersion() != null;
                send(exchange, ready ? 200 : 503, Map.of("status", ready ? "READY" : "NOT_READY"));
            }
            default -> {
                byte[] body =
                        c.metrics().scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", METRICS_CONTENT_TYPE);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static void score(Context c, HttpExchange exchange) throws IOException {
        byte[] body = readBounded(exchange, c.maxBodyBytes());
        if (body == null) {
            c.metrics().request("invalid");
            send(
                    exchange,
                    413,
                    error(
                            "body is larger than " + c.maxBodyBytes() + " bytes",
                            "oversized",
                            null,
                            -1));
            return;
        }
        try {
            Scores scores = c.scorer().score(body);
            List<Map<String, Object>> out =
                    scores.impressions().stream()
                            .map(
                                    s -> {
                                        Map<String, Object> m = new LinkedHashMap<>();
                                        m.put("impression_id", s.impressionId());
                                        m.put("scores", s.scores());
                                        return m;
                                    })
                            .toList();
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("version", scores.version());
            response.put("scores", out);
            c.metrics().request("ok");
            c.metrics().scored(out.size());
            send(exchange, 200, response);
        } catch (InvalidInputException e) {
            c.metrics().request("invalid");
            send(exchange, 400, error(e.getMessage(), e.reason(), e.field(), e.index()));
        } catch (NoModelException e) {
            c.metrics().request("no_model");
            exchange.getResponseHeaders().set("Retry-After", "1");
            send(exchange, 503, error(e.getMessage(), "no_model", null, -1));
        }
    }

    /** The body, or null when it is longer than {@code max} bytes. */
    /**
     * The body, or null past {@code max} bytes. An oversized body is still read (up to a bound) and
     * dropped: the JDK server resets a connection closed with unread input, and the client would
     * see that instead of the 413.
     */
    private static byte[] readBounded(HttpExchange exchange, int max) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length <= max) {
                return body;
            }
            byte[] sink = new byte[1 << 16];
            long drained = 0;
            int n;
            while (drained < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
                drained += n;
            }
            return null;
        }
    }

    private static Map<String, Object> status(Context c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("served_version", c.slot().servedVersion());
        m.put("ready", c.slot().servedVersion() != null);
        LoadFailure f = c.lastFailure().get();
        if (f == null) {
            m.put("last_failure", null);
        } else {
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("version", f.version());
            failure.put("reason", f.reason().wireName());
            failure.put("detail", f.detail());
            failure.put("at", f.at().toString());
            failure.put("attempts", f.attempts());
            failure.put("retry_at", f.retryAt().toString());
            m.put("last_failure", failure);
        }
        return m;
    }

    private static Map<String, Object> error(
            String message, String reason, String field, int index) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("reason", reason);
        if (field != null) {
            m.put("field", field);
        }
        if (index >= 0) {
            m.put("index", index);
        }
        return m;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Serving stopped");
    }
}
