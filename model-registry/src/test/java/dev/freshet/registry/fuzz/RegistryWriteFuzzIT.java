package dev.freshet.registry.fuzz;

import static dev.freshet.registry.fuzz.FuzzInputs.CONTENT_TYPES;
import static dev.freshet.registry.fuzz.FuzzInputs.MLFLOW;
import static dev.freshet.registry.fuzz.FuzzInputs.NAMES;
import static dev.freshet.registry.fuzz.FuzzInputs.TOKEN;
import static dev.freshet.registry.fuzz.FuzzInputs.VERSIONS;
import static dev.freshet.registry.fuzz.FuzzInputs.clip;
import static dev.freshet.registry.fuzz.FuzzInputs.pick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.registry.TestHttp;
import dev.freshet.registry.TestVersions;
import dev.freshet.registry.fuzz.WriteOracle.Route;
import dev.freshet.registry.fuzz.WriteOracle.Write;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the bodies, path values and queries of every write route of both APIs with the valid
 * token, against a real registry on S3Proxy. A {@link WriteOracle} decides independently of the
 * registry whether each write is valid; every 2xx must be a valid write and every valid write a
 * 2xx, no answer a 5xx, every error JSON in its API's shape. Afterwards the bucket must hold
 * exactly the objects the valid writes made, each well-formed, and the registry must answer the
 * alias table they imply. The Content-Type of a write is not part of its validity: the registry
 * reads every body as JSON. Reproduce with {@code -Dfuzz.seed=<seed>}; {@code -Dfuzz.writes} sets
 * the count.
 */
@ExtendWith(S3ServerExtension.class)
class RegistryWriteFuzzIT {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryWriteFuzzIT.class);

    /** Each route as often as it appears. */
    private static final List<Route> ROUTES =
            List.of(
                    Route.PROMOTE,
                    Route.PROMOTE,
                    Route.PROMOTE,
                    Route.PROMOTE,
                    Route.MLFLOW_SET,
                    Route.MLFLOW_SET,
                    Route.MLFLOW_SET,
                    Route.ROLLBACK,
                    Route.ROLLBACK,
                    Route.DELETE,
                    Route.MLFLOW_DELETE,
                    Route.MLFLOW_DELETE,
                    Route.REJECT,
                    Route.REGISTER,
                    Route.REGISTER);

    private static final List<String> ALIASES =
            List.of(
                    "prod",
                    "prod",
                    "staging",
                    "canary",
                    "latest",
                    "..",
                    "../",
                    "%2E%2E",
                    "..%2F..%2Fprod",
                    "a%2Fb",
                    "%2F",
                    "/",
                    "",
                    "x".repeat(10_240),
                    ".hidden",
                    "-x",
                    "a".repeat(128),
                    "a".repeat(129),
                    "%C3%BC",
                    "prod%00",
                    "PROD",
                    "prod.v2",
                    "prod%20");

    private static final List<String> MORE_VERSIONS =
            List.of("%2B2", "%D9%A2", "%EF%BC%92", "02", "", "2%2F..", "12", "13");

    private static final List<String> VNUM =
            List.of(
                    "0",
                    "-1",
                    "-9223372036854775808",
                    "9223372036854775807",
                    "9223372036854775808",
                    "18446744073709551616",
                    "2.0",
                    "1.5",
                    "1e3",
                    "2E0",
                    "NaN",
                    "-Infinity",
                    "-0",
                    "0x10",
                    "\"2\"",
                    "\"\"",
                    "null",
                    "true",
                    "[2]",
                    "{\"v\":2}",
                    deep(1500));

    private static final List<String> TEXT =
            List.of(
                    "\"go\"",
                    "\"roll forward\"",
                    "\"\"",
                    "\"   \"",
                    "\"\\t\\n\"",
                    quoted("r".repeat(2000)),
                    quoted("r".repeat(2001)),
                    quoted("é".repeat(2000)),
                    "\"ü☃ 💩\"",
                    "\"\\u0000\\u0007\\u001b[31m\"",
                    "\"\\ud800\"",
                    "\"x\\udc00\"",
                    "\"\\ud83d\\udca9\"",
                    "\"\\u202e\"",
                    "\"\u0001raw\"",
                    "\"../../etc\"",
                    "5",
                    "1.5",
                    "true",
                    "null",
                    "[\"go\"]",
                    "{}",
                    "NaN",
                    deep(3000));

    private static final List<String> ACTORS =
            List.of(quoted("a".repeat(200)), quoted("a".repeat(201)), "\"ops\"", "\"\\ud800x\"");

    private static final List<String> MODEL_NAMES =
            List.of(
                    "\"ctr\"",
                    "\"ctr\"",
                    "\"ctr\"",
                    "\"feed\"",
                    "\"nope\"",
                    "\"..\"",
                    "\"../ctr\"",
                    "\"ctr/..\"",
                    "\"%2F\"",
                    "\"\"",
                    "\"CTR\"",
                    "\"ctr\\u0000\"",
                    "5",
                    "null",
                    "[\"ctr\"]",
                    quoted("x".repeat(10_240)));

    private static final List<String> ALIAS_NAMES =
            List.of(
                    "\"prod\"",
                    "\"prod\"",
                    "\"staging\"",
                    "\"canary\"",
                    "\"latest\"",
                    "\"../prod\"",
                    "\"/\"",
                    "\"a/b\"",
                    "\"%2F\"",
                    "\"\"",
                    "\"..\"",
                    "\".\"",
                    quoted("x".repeat(10_240)),
                    quoted("a".repeat(128)),
                    quoted("a".repeat(129)),
                    "\"ü\"",
                    "\"prod\\n\"",
                    "1",
                    "null",
                    "true",
                    "[\"prod\"]");

    private static final List<String> VSTR =
            List.of(
                    "\"99\"",
                    "\"0\"",
                    "\"-1\"",
                    "\"+2\"",
                    "\"02\"",
                    "\"\\u0662\"",
                    "\"\\uff12\"",
                    "\" 2\"",
                    "\"2 \"",
                    "\"2.0\"",
                    "\"1e1\"",
                    "\"9223372036854775807\"",
                    "\"9223372036854775808\"",
                    "\"\"",
                    "2",
                    "2.0",
                    "null",
                    "true",
                    "[\"2\"]");

    private static final List<String> EXTRA =
            List.of(
                    "\"unknown\":1",
                    "\"Version\":2",
                    "\"expectedVersion\":2",
                    "\"reason \":\"x\"",
                    "\"\":0",
                    "\"version\":2",
                    "\"name\":\"ctr\"",
                    "\"__proto__\":{}");

    private static final List<String> DELETE_QUERIES =
            List.of(
                    "",
                    "",
                    "reason=cleanup",
                    "reason=",
                    "reason=%20%20",
                    "reason=" + "r".repeat(2001),
                    "reason=r%C3%BCck",
                    "reason=%ED%A0%80",
                    "reason=%ZZ",
                    "actor=ops",
                    "actor=" + "a".repeat(201),
                    "reason=x&actor=%00",
                    "reason=a+b");

    private final S3Server s3;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final Map<String, Integer> byStatus = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> brokenBodies = FuzzInputs.bodies();
    private FuzzRegistry fixture;

    /** Whether the write being made is meant to be valid (it may still not be). */
    private boolean clean;

    private WriteOracle oracle;

    RegistryWriteFuzzIT(S3Server s3) {
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        fixture = FuzzRegistry.start(s3);
        // More versions, registered as the trainer does, so promotes and rejections have room.
        for (String[] mv : new String[][] {{"ctr", "5", "12"}, {"feed", "2", "3"}}) {
            for (long v = Long.parseLong(mv[1]); v <= Long.parseLong(mv[2]); v++) {
                String manifest =
                        new String(
                                ManifestJson.toBytes(
                                        TestVersions.publish(fixture.store(), mv[0], v)),
                                StandardCharsets.UTF_8);
                assertThat(
                                fixture.api()
                                        .post("/api/v1/models/" + mv[0] + "/versions", manifest)
                                        .status())
                        .isEqualTo(201);
            }
        }
        oracle = WriteOracle.read(fixture.store());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void writesWithTheTokenChangeOnlyWhatValidWritesMayChange() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261130L);
        int count = Integer.getInteger("fuzz.writes", 2000);
        LOG.info("Fuzzing the registry's writes with seed {} ({} requests)", seed, count);
        Random rnd = new Random(seed);
        Map<String, String> before = fixture.bucket();
        long started = System.nanoTime();
        int valid = 0;
        for (int i = 0; i < count; i++) {
            valid += send(i, rnd) ? 1 : 0;
        }
        LOG.info(
                "Fuzzed {} writes ({} valid) in {} ms; by status: {}",
                count,
                valid,
                (System.nanoTime() - started) / 1_000_000,
                byStatus);
        assertThat(failures).as("write fuzz failures (seed " + seed + ")").isEmpty();

        Map<String, String> after = fixture.bucket();
        assertThat(after.keySet())
                .as("keys in the bucket")
                .containsExactlyInAnyOrderElementsOf(oracle.keys());
        before.forEach(
                (key, sha) -> assertThat(after).as("pre-existing " + key).containsEntry(key, sha));
        assertThat(oracle.checkObjects(fixture.store())).isEmpty();
        for (String model : oracle.models()) {
            Map<String, Long> table = oracle.aliasTable(model);
            LOG.info("Alias table of {} after the valid writes: {}", model, table);
            JsonNode got =
                    fixture.api().get("/api/v1/models/" + model + "/aliases").json().get("aliases");
            Map<String, Long> answered = new TreeMap<>();
            got.fields().forEachRemaining(e -> answered.put(e.getKey(), e.getValue().asLong()));
            assertThat(answered).as("alias table of " + model).isEqualTo(table);
            table.forEach(
                    (alias, version) ->
                            assertThat(
                                            fixture.api()
                                                    .get(
                                                            MLFLOW
                                                                    + "/registered-models/alias?name="
                                                                    + model
                                                                    + "&alias="
                                                                    + alias)
                                                    .json()
                                                    .at("/model_version/version")
                                                    .asText())
                                    .isEqualTo(String.valueOf(version)));
        }
        assertThat(valid).as("valid writes").isGreaterThan(count / 10);
        for (Route route : Route.values()) {
            assertThat(byStatus.keySet())
                    .as("some write accepted on " + route)
                    .anyMatch(k -> k.startsWith(route + ":20"));
        }
    }

    /**
     * Found by this fuzzer, each a write that succeeded: Jackson turned wrong scalar types into
     * strings and numbers (MLflow {@code "alias": true} made an alias named "true"), took the last
     * of duplicate keys, a lone surrogate went into the audit log, and a version in other scripts'
     * digits (or with a plus sign) was read as a number. All are 400 now; the bucket is unchanged.
     */
    @Test
    void wrongTypesDuplicateKeysLoneSurrogatesAndNonAsciiDigitsAreRefused() {
        Map<String, String> before = fixture.bucket();
        TestHttp api = fixture.api();
        String set = MLFLOW + "/registered-models/alias";
        for (TestHttp.Answer a :
                List.of(
                        api.post(set, "{\"name\":\"ctr\",\"alias\":true,\"version\":\"3\"}"),
                        api.post(set, "{\"name\":\"ctr\",\"alias\":\"canary\",\"version\":3.0}"),
                        api.put(
                                "/api/v1/models/ctr/aliases/prod",
                                "{\"version\":\"3\",\"reason\":\"go\"}"),
                        api.put(
                                "/api/v1/models/ctr/aliases/prod",
                                "{\"version\":3,\"reason\":1.5}"),
                        api.put(
                                "/api/v1/models/ctr/aliases/prod",
                                "{\"version\":7,\"reason\":\"go\",\"version\":3}"),
                        api.put(
                                "/api/v1/models/ctr/aliases/prod",
                                "{\"version\":3,\"reason\":\"go\",\"actor\":5}"),
                        api.put(
                                "/api/v1/models/ctr/aliases/prod",
                                "{\"version\":3,\"reason\":\"go\",\"actor\":\"\\ud800\"}"),
                        api.post(
                                "/api/v1/models/ctr/versions/3/reject",
                                "{\"reason\":\"x\\udc00\"}"),
                        api.post(
                                "/api/v1/models/ctr/versions/%D9%A3/reject", "{\"reason\":\"go\"}"),
                        api.post("/api/v1/models/ctr/versions/%2B3/reject", "{\"reason\":\"go\"}"),
                        api.post(
                                set,
                                "{\"name\":\"ctr\",\"alias\":\"canary\",\"version\":\"\\uff13\"}"))) {
            assertThat(a.status()).as(a.text()).isEqualTo(400);
        }
        assertThat(fixture.bucket()).isEqualTo(before);
    }

    /** Sends one write; true if it was valid. */
    private boolean send(int i, Random rnd) throws InterruptedException {
        Route route = pick(rnd, ROUTES);
        // A share of clean writes (few rejections, which are for good) keeps the state moving.
        clean = rnd.nextInt(100) < (route == Route.REJECT ? 8 : 40);
        String model =
                clean || rnd.nextInt(10) < 8
                        ? (rnd.nextInt(5) == 0 ? "feed" : "ctr")
                        : pick(rnd, NAMES);
        String alias =
                pick(rnd, ALIASES.subList(0, clean || rnd.nextBoolean() ? 4 : ALIASES.size()));
        String version =
                clean || rnd.nextInt(10) < 7
                        ? String.valueOf(1 + rnd.nextInt(12))
                        : pick(rnd, rnd.nextBoolean() ? VERSIONS : MORE_VERSIONS);
        String path =
                route.template
                        .replace("{model}", model)
                        .replace("{alias}", alias)
                        .replace("{version}", version);
        String query = null;
        byte[] body = body(rnd, route);
        if (route == Route.DELETE) {
            query = pick(rnd, DELETE_QUERIES.subList(0, clean ? 3 : DELETE_QUERIES.size()));
        } else if (route == Route.MLFLOW_DELETE && rnd.nextBoolean()) {
            body = new byte[0];
            query =
                    "name="
                            + pick(rnd, List.of("ctr", "ctr", "feed", "nope", "..", "a%2Fb", ""))
                            + "&alias="
                            + alias;
        }
        Write w =
                new Write(
                        route,
                        segment(model),
                        segment(alias),
                        segment(version),
                        query == null ? Map.of() : query(query),
                        body);
        Runnable effect = oracle.judge(w);
        String target = path + (query == null || query.isEmpty() ? "" : "?" + query);
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(fixture.registry().uri() + target));
        } catch (IllegalArgumentException e) {
            count("not-a-uri");
            return false;
        }
        b.timeout(Duration.ofSeconds(20))
                .method(route.method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + TOKEN);
        if (rnd.nextInt(10) < 7) {
            b.header("Content-Type", "application/json");
        } else if (rnd.nextBoolean()) {
            b.header("Content-Type", pick(rnd, CONTENT_TYPES));
        }
        Answer a;
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            r.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
            a = new Answer(r.statusCode(), headers, r.body());
        } catch (IOException e) {
            failures.add("#" + i + " " + route + " " + clip(target) + ": " + e);
            return false;
        }
        count(route + ":" + a.status());
        count(String.valueOf(a.status()));
        String what =
                "#"
                        + i
                        + " "
                        + route.method
                        + " "
                        + clip(target)
                        + " "
                        + clip(new String(body, StandardCharsets.UTF_8))
                        + " -> "
                        + a.status()
                        + " "
                        + clip(new String(a.body(), StandardCharsets.UTF_8));
        boolean ok = a.status() >= 200 && a.status() < 300;
        if (a.status() >= 500) {
            failures.add(what);
        } else if (ok && effect == null) {
            failures.add("invalid write accepted: " + what);
        } else if (!ok && effect != null) {
            failures.add("valid write refused: " + what);
        } else if (!ok && a.errorShape(path) != null) {
            failures.add(what + ": " + a.errorShape(path));
        }
        if (ok && effect != null) {
            effect.run();
        }
        return effect != null;
    }

    // ---- bodies ---------------------------------------------------------------------------

    private byte[] body(Random rnd, Route route) {
        String json =
                switch (route) {
                    case PROMOTE ->
                            object(
                                    rnd,
                                    field("version", version(rnd, VNUM)),
                                    field("reason", text(rnd)),
                                    field("actor", actor(rnd)),
                                    rnd.nextInt(3) == 0
                                            ? field("expected_version", version(rnd, VNUM))
                                            : null);
                    case ROLLBACK, REJECT ->
                            object(rnd, field("reason", text(rnd)), field("actor", actor(rnd)));
                    case MLFLOW_SET ->
                            object(
                                    rnd,
                                    field("name", mlflowName(rnd)),
                                    field("alias", mlflowAlias(rnd)),
                                    field(
                                            "version",
                                            clean || rnd.nextInt(10) < 7
                                                    ? quoted(String.valueOf(1 + rnd.nextInt(12)))
                                                    : pick(rnd, VSTR)));
                    case MLFLOW_DELETE ->
                            object(
                                    rnd,
                                    field("name", mlflowName(rnd)),
                                    field("alias", mlflowAlias(rnd)));
                    case DELETE -> rnd.nextBoolean() ? "" : pick(rnd, brokenBodies);
                    case REGISTER -> manifest(rnd);
                };
        return frame(rnd, json);
    }

    /** An integer 1 to 12 most of the time, else one of {@code odd}. */
    private String version(Random rnd, List<String> odd) {
        return clean || rnd.nextInt(10) < 7 ? String.valueOf(1 + rnd.nextInt(12)) : pick(rnd, odd);
    }

    private String mlflowName(Random rnd) {
        return pick(rnd, MODEL_NAMES.subList(0, clean ? 4 : MODEL_NAMES.size()));
    }

    private String mlflowAlias(Random rnd) {
        return pick(rnd, ALIAS_NAMES.subList(0, clean ? 4 : ALIAS_NAMES.size()));
    }

    private String text(Random rnd) {
        return clean || rnd.nextInt(10) < 6 ? "\"go\"" : pick(rnd, TEXT);
    }

    private String actor(Random rnd) {
        return clean || rnd.nextInt(3) == 0 ? null : pick(rnd, rnd.nextBoolean() ? ACTORS : TEXT);
    }

    private static String field(String name, String value) {
        return value == null ? null : "\"" + name + "\":" + value;
    }

    /**
     * An object of the fields given: each left out now and then, sometimes an unknown field or a
     * duplicate key, in shuffled order.
     */
    private String object(Random rnd, String... fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            if (f != null && (clean || rnd.nextInt(12) > 0)) {
                out.add(f);
            }
        }
        if (!clean && rnd.nextInt(14) == 0) {
            out.add(pick(rnd, EXTRA));
        }
        if (!clean && !out.isEmpty() && rnd.nextInt(16) == 0) {
            String dup = pick(rnd, out);
            out.add(dup.substring(0, dup.indexOf(':') + 1) + (rnd.nextBoolean() ? "3" : "\"go\""));
        }
        java.util.Collections.shuffle(out, rnd);
        return "{" + String.join(",", out) + "}";
    }

    /** A published (or unpublished) manifest, often changed in one way. */
    private String manifest(Random rnd) {
        String model = rnd.nextInt(4) == 0 ? "feed" : "ctr";
        long v = 1 + rnd.nextInt("feed".equals(model) ? 4 : 13);
        ObjectNode m =
                (ObjectNode)
                        ManifestJson.mapper()
                                .valueToTree(
                                        TestVersions.manifest(model, v, 0.70 + v / 100.0, true));
        switch (clean ? 7 : rnd.nextInt(8)) {
            case 0 -> m.put("version", String.valueOf(v));
            case 1 -> m.put("unknown", 1);
            case 2 -> m.remove(pick(rnd, List.of("files", "created_at", "lineage")));
            case 3 -> m.put("model", rnd.nextBoolean() ? "../ctr" : "feed");
            case 4 -> m.put("candidate", "cand-x");
            default -> {
                // as published
            }
        }
        return m.toString();
    }

    /** Now and then breaks the framing: truncation, trailing bytes, a wrapper, bad UTF-8. */
    private byte[] frame(Random rnd, String json) {
        String s =
                switch (clean ? 39 : rnd.nextInt(40)) {
                    case 0, 1 -> json.substring(0, rnd.nextInt(Math.max(1, json.length())));
                    case 2 -> json + pick(rnd, List.of("x", "}", ",", " {}", "\u0000"));
                    case 3 -> "[" + json + "]";
                    case 4 -> pick(rnd, List.of("", "  \n", "null", "{}", "[]", "\"x\""));
                    case 5, 6 -> pick(rnd, brokenBodies);
                    case 7 -> " \t" + json + "\r\n";
                    default -> json;
                };
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int quote = s.indexOf('"', 2);
        if (!clean && rnd.nextInt(60) == 0 && quote > 0) {
            b[quote + 1 < b.length ? quote + 1 : quote] =
                    (byte) 0xC3; // an unfinished UTF-8 sequence
        }
        return b;
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    private static String deep(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    // ---- decoding, as a server must ---------------------------------------------------------

    /** A path value as the route receives it; null if it cannot reach the route as one segment. */
    private static String segment(String raw) {
        if (raw.isEmpty() || raw.contains("/")) {
            return null;
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A form-encoded query, first value of each name; null if its percent-encoding is broken. */
    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (!pair.isEmpty()) {
                    out.putIfAbsent(
                            URLDecoder.decode(
                                    eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0
                                    ? ""
                                    : URLDecoder.decode(
                                            pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return out;
    }

    private void count(String key) {
        byStatus.merge(key, 1, Integer::sum);
    }
}
