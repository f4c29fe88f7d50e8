package dev.freshet.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A real HTTP client for the registry's API in tests: JSON in, status + JSON out. */
public final class TestHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestHttp(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** One answer: status, body as JSON (null when empty or not JSON) and the raw response. */
    public record Answer(int status, JsonNode json, HttpResponse<byte[]> raw) {
        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        public String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }
    }

    public Answer get(String path, String... headers) {
        return send(builder(path, headers).GET(), false);
    }

    public Answer post(String path, String body) {
        return send(builder(path).POST(HttpRequest.BodyPublishers.ofString(body)), true);
    }

    public Answer put(String path, String body) {
        return send(builder(path).PUT(HttpRequest.BodyPublishers.ofString(body)), true);
    }

    public Answer delete(String path) {
        return send(builder(path).DELETE(), true);
    }

    public Answer postWithoutToken(String path, String body) {
        return send(builder(path).POST(HttpRequest.BodyPublishers.ofString(body)), false);
    }

    public Answer send(HttpRequest.Builder request, boolean authorize) {
        if (authorize && token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> r =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            if (r.body().length > 0
                    && r.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .startsWith("application/json")) {
                json = JSON.readTree(r.body());
            }
            return new Answer(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder builder(String path, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(90))
                        .header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }
}
