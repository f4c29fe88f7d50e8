package dev.freshet.registry.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.freshet.store.ObjectStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Router} on the JDK's HttpServer: decodes the path and query, reads the body up to
 * {@code maxBodyBytes} (413 beyond), checks the write token on write routes, and turns every
 * failure into a JSON error: {@link ApiException} as it says, an unreachable store as 503, and
 * anything else as a logged 500 (a bug, never a client mistake).
 */
public final class HttpAdapter implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAdapter.class);

    /** Told of every finished request, for metrics. */
    @FunctionalInterface
    public interface Listener {
        void completed(String method, String route, int status, long nanos);
    }

    /** How much of an oversized body is read and dropped before answering 413. */
    private static final long DRAIN_LIMIT = 64L << 20;

    private final Router router;
    private final WriteToken token;
    private final int maxBodyBytes;
    private final Listener listener;

    public HttpAdapter(Router router, WriteToken token, int maxBodyBytes, Listener listener) {
        this.router = router;
        this.token = token;
        this.maxBodyBytes = maxBodyBytes;
        this.listener = listener;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String route = "unmatched";
        String path = exchange.getRequestURI().getPath();
        Response response;
        try {
            Router.Match match =
                    router.match(
                            exchange.getRequestMethod(),
                            segments(exchange.getRequestURI().getRawPath()));
            route = match.route().template();
            if (match.route().write()) {
                token.check(
                        java.util.Optional.ofNullable(
                                exchange.getRequestHeaders().getFirst("Authorization")));
            }
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            Request request =
                    new Request(
                            exchange.getRequestMethod(),
                            path,
                            match.params(),
                            firstValues(query),
                            query,
                            headers(exchange),
                            body(exchange));
            response = match.route().handler().handle(request);
        } catch (ApiException e) {
            response = router.error(path, e);
        } catch (ObjectStoreException e) {
            LOG.warn(
                    "Object store failed during {} {}: {}",
                    exchange.getRequestMethod(),
                    route,
                    e.getMessage());
            response =
                    router.error(
                            path,
                            new ApiException(503, "the object store is unavailable; retry later"));
        } catch (RuntimeException e) {
            LOG.error("Request {} {} failed", exchange.getRequestMethod(), route, e);
            response = router.error(path, new ApiException(500, "internal error"));
        }
        try {
            send(exchange, response);
        } catch (IOException e) {
            // The client went away; nothing to tell it.
            LOG.debug(
                    "Could not answer {} {}: {}",
                    exchange.getRequestMethod(),
                    route,
                    e.getMessage());
        } finally {
            exchange.close();
            listener.completed(
                    exchange.getRequestMethod(),
                    route,
                    response.status(),
                    System.nanoTime() - start);
        }
    }

    private byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = readUpTo(in, maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                // Read (and drop) a bounded rest of the body so the client sees the 413 instead
                // of a reset connection; beyond that, the connection is cut.
                byte[] sink = new byte[1 << 16];
                long drained = 0;
                int n;
                while (drained < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
                    drained += n;
                }
                throw tooLarge();
            }
            return body;
        }
    }

    /**
     * Reads up to {@code n} bytes of the body. A body the JDK cannot decode (broken chunked
     * framing; a chunk length beyond an int makes its decoder throw IndexOutOfBoundsException) is
     * the client's mistake, a 400, not a 500.
     */
    private static byte[] readUpTo(InputStream in, int n) {
        try {
            return in.readNBytes(n);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw ApiException.badRequest(null, "malformed request body framing");
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "request body exceeds " + maxBodyBytes + " bytes");
    }

    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : Router.split(rawPath == null ? "/" : rawPath)) {
            out.add(decode(s.replace("+", "%2B")));
        }
        return out;
    }

    /**
     * Every value of every query parameter, in order ({@code stages=A&stages=B}). A query is form
     * encoded: {@code +} is a space there (clients such as MLflow's send spaces so), unlike in a
     * path segment.
     */
    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static Map<String, String> firstValues(Map<String, List<String>> query) {
        Map<String, String> out = new LinkedHashMap<>();
        query.forEach((k, v) -> out.put(k, v.get(0)));
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(null, "malformed percent-encoding in the URL");
        }
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
        return out;
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || response.status() == 304;
        long length = response.body().length;
        if (noBody) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), length == 0 ? -1 : length);
        if (length == 0) {
            return;
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }
}
