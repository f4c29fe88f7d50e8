package dev.freshet.registry.fuzz;

import static dev.freshet.registry.fuzz.FuzzInputs.CONTENT_TYPES;
import static dev.freshet.registry.fuzz.FuzzInputs.MLFLOW;
import static dev.freshet.registry.fuzz.FuzzInputs.NAMES;
import static dev.freshet.registry.fuzz.FuzzInputs.TOKEN;
import static dev.freshet.registry.fuzz.FuzzInputs.VERSIONS;
import static dev.freshet.registry.fuzz.FuzzInputs.clip;
import static dev.freshet.registry.fuzz.FuzzInputs.pick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.registry.RegistryServer;
import dev.freshet.registry.TestHttp;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seeded fuzzer against a real registry over HTTP on a real S3 server: random methods, paths
 * built from the real route templates with mutated segments, query strings, headers and bodies,
 * against both {@code /api/v1} and {@code /api/2.0/mlflow}, some over raw sockets for what the
 * JDK's client refuses to send. No request carries the write token, so the bucket must end
 * byte-identical. Reproduce a failure with {@code -Dfuzz.seed=<seed>}; {@code -Dfuzz.requests} sets
 * the count.
 */
@ExtendWith(S3ServerExtension.class)
class RegistryFuzzIT {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryFuzzIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1 << 20;
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    /** Time a request may take beyond the wait it asked for. */
    private static final long SLACK_MS = 5_000;

    private static final List<String> TEMPLATES =
            List.of(
                    "/api/v1/models",
                    "/api/v1/models/{model}",
                    "/api/v1/models/{model}/versions",
                    "/api/v1/models/{model}/versions/{version}",
                    "/api/v1/models/{model}/versions/{version}/reject",
                    "/api/v1/models/{model}/versions/{version}/files",
                    "/api/v1/models/{model}/versions/{version}/files/{file}",
                    "/api/v1/models/{model}/candidates",
                    "/api/v1/models/{model}/aliases",
                    "/api/v1/models/{model}/aliases/{alias}",
                    "/api/v1/models/{model}/aliases/{alias}/rollback",
                    "/api/v1/models/{model}/aliases/{alias}/history",
                    "/api/v1/openapi.json",
                    "/api/v1",
                    "/api/v1/nothing/{model}",
                    MLFLOW + "/registered-models/get",
                    MLFLOW + "/registered-models/search",
                    MLFLOW + "/registered-models/get-latest-versions",
                    MLFLOW + "/registered-models/alias",
                    MLFLOW + "/registered-models/create",
                    MLFLOW + "/model-versions/get",
                    MLFLOW + "/model-versions/search",
                    MLFLOW + "/model-versions/get-download-uri",
                    MLFLOW + "/model-versions/{version}",
                    MLFLOW,
                    "/",
                    "/healthz",
                    "/readyz",
                    "/metrics",
                    "/static/{file}");

    /** POST routes that only read: a 2xx answer without the token is fine there. */
    private static final List<String> READ_POSTS =
            List.of(
                    MLFLOW + "/registered-models/search",
                    MLFLOW + "/registered-models/get-latest-versions",
                    MLFLOW + "/model-versions/search");

    private static final List<String> METHODS =
            List.of(
                    "GET", "GET", "GET", "POST", "POST", "PUT", "PATCH", "DELETE", "HEAD",
                    "OPTIONS");

    private static final List<String> REAL_MODELS = List.of("ctr", "feed");
    private static final List<String> REAL_ALIASES = List.of("prod", "latest");
    private static final List<String> REAL_VERSIONS = List.of("1", "2", "3", "4");

    private static final List<String> QUERY_KEYS =
            List.of(
                    "after",
                    "wait",
                    "page_token",
                    "page_size",
                    "state",
                    "name",
                    "version",
                    "alias",
                    "stages",
                    "filter",
                    "max_results",
                    "order_by",
                    "reason",
                    "actor",
                    "garbage",
                    "");

    private static final List<String> WAITS =
            List.of(
                    "0",
                    "0s",
                    "1ms",
                    "50ms",
                    "250ms",
                    "-1s",
                    "1.5s",
                    "1h",
                    "9999999999",
                    "99999999999999999999",
                    "",
                    "s",
                    "ms",
                    "%ZZ",
                    "10m",
                    "0x10",
                    "1e9");

    private static final List<String> QUERY_VALUES =
            List.of(
                    "",
                    "1",
                    "2",
                    "-1",
                    "0",
                    "9223372036854775808",
                    "ctr",
                    "prod",
                    "latest",
                    "all",
                    "ready",
                    "rejected",
                    "READY",
                    "%ZZ",
                    "%",
                    "a%2Fb",
                    "x".repeat(3000),
                    "name%3D'ctr'",
                    "name%20LIKE%20'%25'",
                    "version_number%3D1",
                    "name%3D'ctr'%20AND%20version_number%3E-1",
                    "name%20%3D%20",
                    "'",
                    "%27%27",
                    "Production",
                    "None",
                    "1000",
                    "1001",
                    "100000000000",
                    "+",
                    "%E2%80%AE",
                    "name%3D'ctr'%20OR%201%3D1",
                    "%00",
                    "10000",
                    "200001",
                    "1e3");

    private static final List<String> WRONG_AUTH =
            List.of(
                    "",
                    "Bearer",
                    "Bearer ",
                    "Bearer wrong",
                    "Bearer " + TOKEN + "x",
                    "Bearer " + TOKEN.substring(1),
                    "Basic " + TOKEN,
                    TOKEN,
                    "Token " + TOKEN,
                    "Bearer " + "a".repeat(20_000),
                    "Bearer " + TOKEN.toUpperCase(),
                    "Bearer\t" + TOKEN,
                    "Bearer" + TOKEN,
                    "Bearer " + TOKEN + " " + TOKEN,
                    "Bearer null",
                    "Bearer undefined",
                    "Bearer %s");

    private static final List<String> ETAGS =
            List.of(
                    "*",
                    "\"prod-1-2\"",
                    "\"latest-0-4\"",
                    "garbage",
                    "\"",
                    "W/\"x\"",
                    "x".repeat(8000));

    private final S3Server s3;
    private FuzzRegistry fixture;
    private RegistryServer registry;
    private TestHttp api;
    private final List<String> bodies = FuzzInputs.bodies();
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    /**
     * Bodies over the cap go on their own connections: the server may close a connection whose body
     * it did not read, which must not poison the main client's pool.
     */
    private final HttpClient hugeHttp =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private final Map<String, Integer> byStatus = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    RegistryFuzzIT(S3Server s3) {
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        fixture = FuzzRegistry.start(s3);
        registry = fixture.registry();
        api = fixture.api();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void survivesRandomRequestsWithoutServerErrorsOrUnauthorizedWrites() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261130L);
        int count = Integer.getInteger("fuzz.requests", 5000);
        LOG.info("Fuzzing the registry with seed {} ({} requests)", seed, count);
        Random rnd = new Random(seed);
        Map<String, String> before = fixture.bucket();

        // Long-polls with waits far beyond the cap, parked on the alias's current version: they
        // must neither fail nor return early, and must wake when the alias moves.
        List<String> hugeWaits = List.of("999999999s", "999999999ms", "60000ms", "61s");
        List<CompletableFuture<HttpResponse<byte[]>>> parked = new ArrayList<>();
        for (String w : hugeWaits) {
            parked.add(
                    http.sendAsync(
                            HttpRequest.newBuilder(
                                            registry.uri()
                                                    .resolve(
                                                            "/api/v1/models/ctr/aliases/prod?after=2&wait="
                                                                    + w))
                                    .timeout(Duration.ofSeconds(90))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray()));
        }

        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rnd.nextInt(100) < 12) {
                rawRequest(rnd, i);
            } else {
                clientRequest(rnd, i);
            }
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        LOG.info("Fuzzed {} requests in {} ms; by status: {}", count, elapsedMs, byStatus);

        assertThat(failures).as("fuzz failures (seed " + seed + ")").isEmpty();
        assertThat(fixture.bucket())
                .as("the bucket after unauthenticated writes")
                .isEqualTo(before);
        assertThat(parked).allSatisfy(f -> assertThat(f).isNotDone());

        // Still serving normally.
        TestHttp.Answer models = api.get("/api/v1/models");
        assertThat(models.status()).isEqualTo(200);
        assertThat(models.json().at("/models/0/name").asText()).isEqualTo("ctr");
        assertThat(api.get("/api/v1/models/ctr/aliases/prod").json().get("version").asLong())
                .isEqualTo(2);

        // A real write wakes the parked long-polls, which answer the new version.
        assertThat(
                        api.put(
                                        "/api/v1/models/ctr/aliases/prod",
                                        "{\"version\":3,\"reason\":\"c\"}")
                                .status())
                .isEqualTo(200);
        for (CompletableFuture<HttpResponse<byte[]>> f : parked) {
            HttpResponse<byte[]> r = f.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("version").asLong()).isEqualTo(3);
        }
        assertThat(count).isGreaterThanOrEqualTo(5000);
    }

    /** Found by the fuzzer: a chunk length beyond an int was a 500 (the JDK's decoder throws). */
    @Test
    void aBodyWithBrokenChunkedFramingIsA400NotA500() throws IOException {
        for (String chunks : List.of("FFFFFFFFFFFF\r\nab", "zz\r\n")) {
            Answer a =
                    raw(
                            ("POST "
                                            + MLFLOW
                                            + "/model-versions/search HTTP/1.1\r\nHost: localhost\r\n"
                                            + "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                                            + chunks)
                                    .getBytes(StandardCharsets.UTF_8));
            assertThat(a.status()).as(chunks).isEqualTo(400);
            assertThat(JSON.readTree(a.body()).get("error_code").asText())
                    .isEqualTo("INVALID_PARAMETER_VALUE");
        }
        assertThat(api.get("/api/v1/models").status()).isEqualTo(200);
    }

    // ---- requests -------------------------------------------------------------------------

    private record Plan(
            String method,
            String path,
            String query,
            Map<String, String> headers,
            byte[] body,
            long expectedMs) {
        String target() {
            return query == null ? path : path + "?" + query;
        }
    }

    private void clientRequest(Random rnd, int i) {
        Plan p = plan(rnd);
        HttpRequest.Builder b;
        try {
            b =
                    HttpRequest.newBuilder(URI.create(registry.uri() + p.target()))
                            .timeout(Duration.ofMillis(p.expectedMs() + SLACK_MS + 5_000));
        } catch (IllegalArgumentException e) {
            // Not a URI the client takes: send it raw instead.
            send(i, p, () -> raw(requestBytes(p, "HTTP/1.1")), true, "raw");
            return;
        }
        HttpRequest.BodyPublisher body =
                p.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(p.body());
        b.method(p.method(), body);
        for (Map.Entry<String, String> h : p.headers().entrySet()) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                send(i, p, () -> raw(requestBytes(p, "HTTP/1.1")), true, "raw");
                return;
            }
        }
        HttpRequest request = b.build();
        boolean huge = p.body() != null && p.body().length > MAX_BODY;
        send(
                i,
                p,
                () -> {
                    HttpResponse<byte[]> r =
                            (huge ? hugeHttp : http)
                                    .send(request, HttpResponse.BodyHandlers.ofByteArray());
                    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    r.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
                    return new Answer(r.statusCode(), headers, r.body());
                },
                true,
                huge ? "client-huge" : "client");
    }

    /** What the JDK client will not send: bad request lines, raw bytes in the path, bad headers. */
    private void rawRequest(Random rnd, int i) {
        Plan p = plan(rnd);
        int kind = rnd.nextInt(8);
        byte[] bytes;
        boolean handled = true;
        switch (kind) {
            case 0 -> {
                // Raw unicode and spaces/controls in the target.
                Plan q =
                        withPath(
                                p,
                                p.path()
                                        + pick(
                                                rnd,
                                                List.of(
                                                        "/ü", "/\u202e", "/a b", "/\t", "/%",
                                                        "/\\..\\")));
                bytes = requestBytes(q, "HTTP/1.1");
                p = q;
                handled = false; // a space or bad byte in the target is the JDK server's 400
            }
            case 1 -> {
                String m = pick(rnd, List.of("GET", "FOO", "G E T", "", "\u00e9", "GET /", "PRI"));
                bytes =
                        (m
                                        + " "
                                        + p.target()
                                        + " "
                                        + pick(
                                                rnd,
                                                List.of("HTTP/1.1", "HTTP/9.9", "", "HTTP/1.1 x"))
                                        + "\r\nHost: x\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.UTF_8);
                p = new Plan(m, p.path(), p.query(), p.headers(), null, p.expectedMs());
                handled = false;
            }
            case 2 -> {
                // Header lines without colons, with spaces before the colon, folded, binary.
                bytes =
                        requestBytes(
                                withHeader(
                                        p,
                                        pick(
                                                rnd,
                                                List.of(
                                                        "Bad Header",
                                                        "X-Fold",
                                                        "\u00e9",
                                                        "Authorization ",
                                                        "X:Y")),
                                        pick(
                                                rnd,
                                                List.of(
                                                        "v",
                                                        "\r\n continued",
                                                        "\u00ff\u00fe",
                                                        "Bearer " + TOKEN + "\u00e9")),
                                        true),
                                "HTTP/1.1");
                handled = false;
            }
            case 3 -> {
                // Absolute-form target and traversal the client would normalise.
                Plan q =
                        withPath(
                                p,
                                pick(
                                        rnd,
                                        List.of(
                                                "/api/v1/models/../../../etc/passwd",
                                                "/api/v1/./models",
                                                "/api/v1/models/ctr/../feed")));
                bytes = requestBytes(q, "HTTP/1.1");
                p = q;
            }
            case 4 -> {
                // Content-Length that lies (bigger than the body sent; the server must not hang).
                String length = pick(rnd, List.of("-1", "abc", "99999999999999999999", "1, 2"));
                bytes = requestBytes(withHeader(p, "Content-Length", length, false), "HTTP/1.1");
                handled = false;
            }
            case 5 -> {
                String big = "h".repeat(rnd.nextBoolean() ? 70_000 : 600_000);
                bytes = requestBytes(withHeader(p, "X-Huge", big, true), "HTTP/1.1");
                handled = false;
            }
            case 6 -> {
                bytes = requestBytes(p, "HTTP/1.0");
            }
            default -> {
                bytes =
                        requestBytes(
                                withHeader(p, "Transfer-Encoding", "chunked", false), "HTTP/1.1");
                bytes =
                        concat(
                                bytes,
                                pick(
                                                rnd,
                                                List.of(
                                                        "5\r\n{\"a\":\r\n0\r\n\r\n",
                                                        "zz\r\n",
                                                        "FFFFFFFFFFFF\r\nab",
                                                        "0\r\n\r\n"))
                                        .getBytes(StandardCharsets.UTF_8));
                handled = false;
            }
        }
        byte[] request = bytes;
        send(i, p, () -> raw(request), handled, "raw-" + kind);
    }

    @FunctionalInterface
    private interface Call {
        Answer call() throws IOException, InterruptedException;
    }

    private void send(int i, Plan p, Call call, boolean handled, String via) {
        long t0 = System.nanoTime();
        Answer a;
        try {
            a = call.call();
        } catch (IOException e) {
            // The server may cut a connection whose request it refused (an unread huge body, a
            // request the JDK server could not parse); what matters is that it keeps serving.
            String kind = "io:" + via.replaceAll("[0-9]", "") + ":" + e.getClass().getSimpleName();
            LOG.info(
                    "#{} {} {} ({} body bytes, {}): {}",
                    i,
                    p.method(),
                    clip(p.target()),
                    p.body() == null ? 0 : p.body().length,
                    via,
                    e.toString());
            count(kind);
            if ("client".equals(via)) {
                // A well-formed request of normal size must always get an answer.
                failures.add("#" + i + " " + p.method() + " " + clip(p.target()) + ": " + e);
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        count(a.status() == 0 ? "no-answer" : String.valueOf(a.status()));
        if ("client-huge".equals(via)) {
            count("over-cap-body:" + a.status());
        }
        String what = "#" + i + " " + p.method() + " " + clip(p.target());
        if (a.status() >= 500) {
            failures.add(
                    what
                            + " -> "
                            + a.status()
                            + " "
                            + clip(new String(a.body(), StandardCharsets.UTF_8)));
        }
        if (ms > p.expectedMs() + SLACK_MS) {
            failures.add(what + " took " + ms + " ms, expected at most " + p.expectedMs());
        }
        if (a.status() >= 200 && a.status() < 300 && isWrite(p) && !readPost(p)) {
            failures.add(what + " -> " + a.status() + " without the write token");
        }
        if (a.jdkRejection()) {
            // Refused by the JDK's HTTP server before any registry code ran (bad request line,
            // malformed URI or header): its own HTML page, not ours to shape.
            count("jdk-rejected");
            return;
        }
        if (handled && a.status() >= 400 && !"HEAD".equals(p.method())) {
            String problem = a.errorShape(p.path());
            if (problem != null) {
                failures.add(what + " -> " + a.status() + ": " + problem);
            }
        }
    }

    private static boolean isWrite(Plan p) {
        return List.of("POST", "PUT", "PATCH", "DELETE").contains(p.method());
    }

    private static boolean readPost(Plan p) {
        return "POST".equals(p.method()) && READ_POSTS.contains(Answer.apiPath(p.path()));
    }

    private void count(String key) {
        byStatus.merge(key, 1, Integer::sum);
    }

    // ---- plans ----------------------------------------------------------------------------

    private Plan plan(Random rnd) {
        String method = pick(rnd, METHODS);
        String template = pick(rnd, TEMPLATES);
        StringBuilder path = new StringBuilder();
        for (String seg : template.split("/", -1)) {
            if (seg.isEmpty()) {
                continue;
            }
            path.append('/');
            switch (seg) {
                // Half the time a real name, so requests reach the handlers, not only 404s.
                case "{model}" -> path.append(pick(rnd, rnd.nextBoolean() ? NAMES : REAL_MODELS));
                case "{alias}" -> path.append(pick(rnd, rnd.nextBoolean() ? NAMES : REAL_ALIASES));
                case "{file}" -> path.append(pick(rnd, NAMES));
                case "{version}" ->
                        path.append(pick(rnd, rnd.nextBoolean() ? VERSIONS : REAL_VERSIONS));
                default -> path.append(rnd.nextInt(40) == 0 ? mutate(rnd, seg) : seg);
            }
        }
        String p = path.length() == 0 ? "/" : path.toString();
        switch (rnd.nextInt(20)) {
            case 0 -> p = "/" + p;
            case 1 -> p = p + "/";
            case 2 -> p = p.replaceFirst("/api/v1", "/api/v1/..%2Fv1");
            case 3 -> p = "/" + p.substring(1).replace("/", "%2F");
            default -> {
                // as built
            }
        }
        StringBuilder query = new StringBuilder();
        long expectedMs = 0;
        int params = rnd.nextInt(4);
        boolean after = false;
        String wait = null;
        for (int k = 0; k < params; k++) {
            String key = pick(rnd, QUERY_KEYS);
            String value;
            if ("after".equals(key)) {
                after = true;
                value =
                        pick(
                                rnd,
                                List.of(
                                        "0",
                                        "1",
                                        "2",
                                        "3",
                                        "-1",
                                        "",
                                        "x",
                                        "9223372036854775808",
                                        "2.0"));
            } else if ("wait".equals(key)) {
                value = pick(rnd, WAITS);
                wait = wait == null ? value : wait;
            } else if ("page_token".equals(key)) {
                value = pageToken(rnd);
            } else {
                value = pick(rnd, QUERY_VALUES);
            }
            query.append(query.length() == 0 ? "" : "&").append(key).append('=').append(value);
        }
        if (rnd.nextInt(15) == 0) {
            query.append(
                    pick(rnd, List.of("&&", "=", "&=x", "%", "a=%ZZ", "&after", "#frag", "?x=1")));
        }
        if (after) {
            if (wait == null) {
                // Without a wait the server holds a long-poll 30 s; keep the run quick.
                query.append(query.length() == 0 ? "" : "&")
                        .append("wait=")
                        .append(pick(rnd, WAITS));
                wait = firstWait(query.toString());
            }
            expectedMs = expectedWaitMs(wait);
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (rnd.nextInt(3) > 0) {
            String auth = pick(rnd, WRONG_AUTH);
            if (!auth.isEmpty() || rnd.nextBoolean()) {
                headers.put("Authorization", auth);
            }
        }
        if (rnd.nextInt(3) > 0) {
            headers.put("Content-Type", pick(rnd, CONTENT_TYPES));
        }
        if (rnd.nextInt(5) == 0) {
            headers.put("If-None-Match", pick(rnd, ETAGS));
        }
        if (rnd.nextInt(40) == 0) {
            headers.put("X-Big", "b".repeat(rnd.nextInt(30_000)));
        }
        byte[] body = null;
        if (!"GET".equals(method) && !"HEAD".equals(method) || rnd.nextInt(10) == 0) {
            body =
                    rnd.nextInt(60) == 0
                            ? huge(rnd)
                            : pick(rnd, bodies).getBytes(StandardCharsets.UTF_8);
        }
        return new Plan(
                method,
                p,
                query.length() == 0 ? null : query.toString(),
                headers,
                body,
                expectedMs);
    }

    private static Plan withHeader(Plan p, String name, String value, boolean keepBody) {
        Map<String, String> h = new java.util.LinkedHashMap<>(p.headers());
        h.put(name, value);
        return new Plan(
                p.method(), p.path(), p.query(), h, keepBody ? p.body() : null, p.expectedMs());
    }

    private static Plan withPath(Plan p, String path) {
        return new Plan(p.method(), path, p.query(), p.headers(), p.body(), p.expectedMs());
    }

    private static String firstWait(String query) {
        for (String pair : query.split("&")) {
            if (pair.startsWith("wait=")) {
                return pair.substring(5);
            }
        }
        return null;
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s)?");

    /** The longest a request with this wait may hold, as the registry documents it. */
    private static long expectedWaitMs(String wait) {
        if (wait == null) {
            return DEFAULT_WAIT.toMillis();
        }
        Matcher m = DURATION.matcher(wait);
        if (!m.matches()) {
            return 0;
        }
        long n = Long.parseLong(m.group(1));
        long ms = "ms".equals(m.group(2)) ? n : n * 1000;
        return Math.min(ms, MAX_WAIT.toMillis());
    }

    private static String mutate(Random rnd, String seg) {
        return switch (rnd.nextInt(5)) {
            case 0 -> seg.toUpperCase();
            case 1 -> seg + "%00";
            case 2 -> "%" + Integer.toHexString(seg.charAt(0)) + seg.substring(1);
            case 3 -> seg + seg;
            default -> "";
        };
    }

    private static String pageToken(Random rnd) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return pick(
                rnd,
                List.of(
                        b64.encodeToString("v3".getBytes(StandardCharsets.UTF_8)),
                        b64.encodeToString("v-1".getBytes(StandardCharsets.UTF_8)),
                        b64.encodeToString("v9223372036854775808".getBytes(StandardCharsets.UTF_8)),
                        b64.encodeToString("vabc".getBytes(StandardCharsets.UTF_8)),
                        b64.encodeToString(
                                "{\"name\":\"ctr\",\"version\":2}"
                                        .getBytes(StandardCharsets.UTF_8)),
                        b64.encodeToString("{\"name\":null}".getBytes(StandardCharsets.UTF_8)),
                        b64.encodeToString("[]".getBytes(StandardCharsets.UTF_8)),
                        b64.encodeToString(new byte[] {(byte) 0xff, 0, 1}),
                        "",
                        "!!!",
                        "%2B%2F%3D",
                        "AAAA",
                        "a".repeat(5000)));
    }

    private static byte[] huge(Random rnd) {
        int size = MAX_BODY + 1 + rnd.nextInt(64 * 1024);
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) ' ');
        b[0] = '{';
        b[size - 1] = '}';
        return b;
    }

    // ---- raw HTTP -------------------------------------------------------------------------

    private static byte[] requestBytes(Plan p, String version) {
        StringBuilder head = new StringBuilder();
        head.append(p.method())
                .append(' ')
                .append(p.target())
                .append(' ')
                .append(version)
                .append("\r\n");
        head.append("Host: localhost\r\nConnection: close\r\n");
        boolean length = false;
        for (Map.Entry<String, String> h : p.headers().entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            length |=
                    h.getKey().equalsIgnoreCase("Content-Length")
                            || h.getKey().equalsIgnoreCase("Transfer-Encoding");
        }
        if (!length && p.body() != null) {
            head.append("Content-Length: ").append(p.body().length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        return p.body() == null || length ? h : concat(h, p.body());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private Answer raw(byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", registry.port()), 5_000);
            s.setSoTimeout(70_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before reading everything; read what it said.
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try {
                in.transferTo(buf);
            } catch (java.net.SocketException e) {
                if (buf.size() == 0) {
                    throw e;
                }
            }
            return parse(buf.toByteArray());
        }
    }

    private static Answer parse(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            return new Answer(0, Map.of(), response);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int k = 1; k < lines.length; k++) {
            int c = lines[k].indexOf(':');
            if (c > 0) {
                headers.putIfAbsent(
                        lines[k].substring(0, c).trim(), lines[k].substring(c + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
        return new Answer(status, headers, body);
    }
}
