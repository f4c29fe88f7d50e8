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
            Request request =
                    new Request(
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().getPath(),
                            match.params(),
                            query(exchange.getRequestURI().getRawQuery()),
                            headers(exchange),
                            body(exchange));
            response = match.route().handler().handle(request);
        } catch (ApiException e) {
            response = Response.error(e);
        } catch (ObjectStoreException e) {
            LOG.warn(
                    "Object store failed during {} {}: {}",
                    exchange.getRequestMethod(),
                    route,
                    e.getMessage());
            response =
                    Response.error(
                            new ApiException(503, "the object store is unavailable; retry later"));
        } catch (RuntimeException e) {
            LOG.error("Request {} {} failed", exchange.getRequestMethod(), route, e);
            response = Response.error(new ApiException(500, "internal error"));
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
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(null, "Content-Length is not a number");
            }
            if (declared > maxBodyBytes) {
                throw tooLarge();
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "request body exceeds " + maxBodyBytes + " bytes");
    }

    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : Router.split(rawPath == null ? "/" : rawPath)) {
            out.add(decode(s));
        }
        return out;
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
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
