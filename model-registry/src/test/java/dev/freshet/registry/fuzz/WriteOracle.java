package dev.freshet.registry.fuzz;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's state as the write fuzzer expects it, kept without any registry code: read from
 * the bucket's keys and objects once, then moved by each write the oracle judged valid, by the
 * rules of docs/REGISTRY.md. It says whether a write is valid ({@link #judge}) and what the bucket
 * and the alias table must be afterwards.
 */
final class WriteOracle {

    /**
     * Model and alias names (docs/REGISTRY.md); "." and ".." cannot match (they start with ".").
     */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static final String LATEST = "latest";
    private static final Pattern VERSION_NUMBER = Pattern.compile("[0-9]{1,19}");
    private static final String N = "([A-Za-z0-9][A-Za-z0-9._-]{0,127})";
    private static final Pattern MANIFEST =
            Pattern.compile("models/" + N + "/versions/([1-9][0-9]*)/manifest\\.json");
    private static final Pattern REJECTION =
            Pattern.compile("models/" + N + "/rejections/([1-9][0-9]*)\\.json");
    private static final Pattern ALIAS_EVENT =
            Pattern.compile("models/" + N + "/aliases/" + N + "/([0-9]{10})\\.json");
    private static final Pattern VERSION_FILE =
            Pattern.compile("models/" + N + "/versions/[1-9][0-9]*/parameters\\.safetensors");

    /** The strict reading a valid body must pass: duplicate keys and trailing tokens refused. */
    static final ObjectMapper STRICT =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    /** The write routes of both APIs. */
    enum Route {
        PROMOTE("PUT", "/api/v1/models/{model}/aliases/{alias}"),
        DELETE("DELETE", "/api/v1/models/{model}/aliases/{alias}"),
        ROLLBACK("POST", "/api/v1/models/{model}/aliases/{alias}/rollback"),
        REJECT("POST", "/api/v1/models/{model}/versions/{version}/reject"),
        REGISTER("POST", "/api/v1/models/{model}/versions"),
        MLFLOW_SET("POST", FuzzInputs.MLFLOW + "/registered-models/alias"),
        MLFLOW_DELETE("DELETE", FuzzInputs.MLFLOW + "/registered-models/alias");

        final String method;
        final String template;

        Route(String method, String template) {
            this.method = method;
            this.template = template;
        }
    }

    /**
     * A write as sent: path parameters and query decoded (null where the raw value could not reach
     * the route: empty, a raw slash, bad percent-encoding), the body's bytes.
     */
    record Write(
            Route route,
            String model,
            String alias,
            String version,
            Map<String, String> query,
            byte[] body) {}

    /** One entry of an alias's log. */
    record Move(long seq, Long from, Long to) {}

    private static final class Invalid extends RuntimeException {
        Invalid() {
            super(null, null, false, false);
        }
    }

    private final Map<String, TreeMap<Long, Boolean>> ready = new TreeMap<>();
    private final Map<String, Map<Long, JsonNode>> manifests = new TreeMap<>();
    private final Map<String, Map<String, List<Move>>> logs = new TreeMap<>();
    private final Set<String> keys = new LinkedHashSet<>();

    /** The oracle for the bucket as it is now. */
    static WriteOracle read(ObjectStore store) {
        WriteOracle o = new WriteOracle();
        for (String key : store.list("")) {
            o.keys.add(key);
            Matcher m;
            if ((m = MANIFEST.matcher(key)).matches()) {
                long v = Long.parseLong(m.group(2));
                o.ready.computeIfAbsent(m.group(1), x -> new TreeMap<>()).putIfAbsent(v, true);
                o.manifests
                        .computeIfAbsent(m.group(1), x -> new TreeMap<>())
                        .put(v, tree(store, key));
            }
        }
        for (String key : o.keys) {
            Matcher m;
            if ((m = REJECTION.matcher(key)).matches()) {
                o.ready.get(m.group(1)).put(Long.parseLong(m.group(2)), false);
            } else if ((m = ALIAS_EVENT.matcher(key)).matches()) {
                JsonNode e = tree(store, key);
                o.log(m.group(1), m.group(2))
                        .add(
                                new Move(
                                        e.get("seq").asLong(),
                                        number(e.get("from")),
                                        number(e.get("to"))));
            }
        }
        return o;
    }

    /**
     * Null if the registry must refuse {@code w}; else what accepting it does to the state (to be
     * run once the registry has accepted it).
     */
    Runnable judge(Write w) {
        try {
            return switch (w.route()) {
                case PROMOTE -> promote(w);
                case DELETE -> {
                    String reason =
                            w.query() == null ? null : w.query().getOrDefault("reason", "go");
                    text(reason, 2000, true);
                    text(w.query() == null ? null : w.query().get("actor"), 200, false);
                    yield delete(w.model(), w.alias());
                }
                case ROLLBACK -> rollback(w);
                case REJECT -> reject(w);
                case REGISTER -> register(w);
                case MLFLOW_SET -> mlflowSet(w);
                case MLFLOW_DELETE -> {
                    if (w.body().length > 0) {
                        JsonNode b = object(w.body(), "name", "alias");
                        yield delete(text(b, "name"), text(b, "alias"));
                    }
                    yield w.query() == null
                            ? invalid()
                            : delete(w.query().get("name"), w.query().get("alias"));
                }
            };
        } catch (Invalid e) {
            return null;
        }
    }

    private Runnable promote(Write w) {
        JsonNode b = object(w.body(), "version", "reason", "actor", "expected_version");
        Long to = integer(b.get("version"));
        Long expected = integer(b.get("expected_version"));
        text(text(b, "reason"), 2000, true);
        text(text(b, "actor"), 200, false);
        movable(w.model(), w.alias());
        require(to != null && isReady(w.model(), to));
        Long current = current(w.model(), w.alias());
        require(expected == null || expected.equals(current));
        return () -> append(w.model(), w.alias(), current, to);
    }

    private Runnable delete(String model, String alias) {
        movable(model, alias);
        Long current = current(model, alias);
        require(current != null);
        return () -> append(model, alias, current, null);
    }

    private Runnable rollback(Write w) {
        JsonNode b = object(w.body(), "reason", "actor");
        text(text(b, "reason"), 2000, true);
        text(text(b, "actor"), 200, false);
        movable(w.model(), w.alias());
        List<Move> log = logs.getOrDefault(w.model(), Map.of()).getOrDefault(w.alias(), List.of());
        require(!log.isEmpty());
        Move last = log.get(log.size() - 1);
        require(last.to() != null && last.from() != null && isReady(w.model(), last.from()));
        return () -> append(w.model(), w.alias(), last.to(), last.from());
    }

    private Runnable reject(Write w) {
        JsonNode b = object(w.body(), "reason", "actor");
        text(text(b, "reason"), 2000, true);
        text(text(b, "actor"), 200, false);
        long v = versionText(w.version());
        require(modelExists(w.model()) && isReady(w.model(), v));
        require(
                !aliasTable(w.model()).entrySet().stream()
                        .anyMatch(e -> !LATEST.equals(e.getKey()) && e.getValue() == v));
        return () -> {
            ready.get(w.model()).put(v, false);
            keys.add("models/" + w.model() + "/rejections/" + v + ".json");
        };
    }

    /** A register writes nothing: valid only for the very manifest the store holds. */
    private Runnable register(Write w) {
        JsonNode b = object(w.body());
        require(modelExists(w.model()) && w.model().equals(b.path("model").asText(null)));
        Long v = integer(b.get("version"));
        require(v != null && b.equals(manifests.get(w.model()).get(v)));
        return () -> {};
    }

    /** MLflow's set is idempotent: setting an alias where it is writes nothing. */
    private Runnable mlflowSet(Write w) {
        JsonNode b = object(w.body(), "name", "alias", "version");
        String model = text(b, "name");
        String alias = text(b, "alias");
        // MLflow's proto says string; its Java client sends a number.
        JsonNode v = b.get("version");
        String version = v != null && v.isIntegralNumber() ? v.asText() : text(b, "version");
        movable(model, alias);
        long to = versionText(version);
        require(isReady(model, to));
        Long current = current(model, alias);
        return Long.valueOf(to).equals(current)
                ? () -> {}
                : () -> append(model, alias, current, to);
    }

    // ---- rules ---------------------------------------------------------------------------

    /** A set alias of an existing model: a valid name, not the built-in latest. */
    private void movable(String model, String alias) {
        require(modelExists(model) && name(alias) && !LATEST.equals(alias));
    }

    private boolean modelExists(String model) {
        return name(model) && ready.containsKey(model);
    }

    private boolean isReady(String model, long v) {
        return ready.getOrDefault(model, new TreeMap<>()).getOrDefault(v, false);
    }

    private static boolean name(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /** A version as text: ASCII digits, 1 to 2^63-1. */
    private static long versionText(String s) {
        require(s != null && VERSION_NUMBER.matcher(s).matches());
        try {
            long v = Long.parseLong(s);
            require(v >= 1);
            return v;
        } catch (NumberFormatException e) {
            throw new Invalid();
        }
    }

    /** Free text: bounded, well-formed Unicode (no lone surrogate), non-blank if required. */
    private static void text(String s, int max, boolean required) {
        if (s == null || s.isBlank()) {
            require(!required);
            return;
        }
        require(s.length() <= max && wellFormed(s));
    }

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The body as a JSON object with no field but {@code fields} (any, if none are named). */
    private static JsonNode object(byte[] body, String... fields) {
        JsonNode b;
        try {
            b = STRICT.readTree(body);
        } catch (IOException e) {
            throw new Invalid();
        }
        require(b != null && b.isObject());
        if (fields.length > 0) {
            b.fieldNames().forEachRemaining(f -> require(List.of(fields).contains(f)));
        }
        return b;
    }

    /** A string field: absent or null is null, any other type is invalid. */
    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        require(n.isTextual());
        return n.asText();
    }

    /** An integer field: absent or null is null; a float, string or anything else is invalid. */
    private static Long integer(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        require(n.isIntegralNumber() && n.canConvertToLong());
        return n.asLong();
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new Invalid();
        }
    }

    private static <T> T invalid() {
        throw new Invalid();
    }

    // ---- state ---------------------------------------------------------------------------

    private List<Move> log(String model, String alias) {
        return logs.computeIfAbsent(model, m -> new TreeMap<>())
                .computeIfAbsent(alias, a -> new ArrayList<>());
    }

    private Long current(String model, String alias) {
        List<Move> log = logs.getOrDefault(model, Map.of()).getOrDefault(alias, List.of());
        return log.isEmpty() ? null : log.get(log.size() - 1).to();
    }

    private void append(String model, String alias, Long from, Long to) {
        List<Move> log = log(model, alias);
        long seq = log.size() + 1L;
        log.add(new Move(seq, from, to));
        keys.add(String.format("models/%s/aliases/%s/%010d.json", model, alias, seq));
    }

    /** Every alias that points at a version, {@code latest} (the newest ready version) included. */
    Map<String, Long> aliasTable(String model) {
        Map<String, Long> out = new TreeMap<>();
        ready.getOrDefault(model, new TreeMap<>()).descendingMap().entrySet().stream()
                .filter(Map.Entry::getValue)
                .findFirst()
                .ifPresent(e -> out.put(LATEST, e.getKey()));
        logs.getOrDefault(model, Map.of())
                .forEach(
                        (alias, log) -> {
                            Long to = log.get(log.size() - 1).to();
                            if (to != null) {
                                out.put(alias, to);
                            }
                        });
        return out;
    }

    Set<String> models() {
        return ready.keySet();
    }

    /** Every key the bucket must hold, no more. */
    Set<String> keys() {
        return keys;
    }

    /**
     * Problems with the bucket's objects: a key outside the layout, an alias event or rejection
     * that does not parse, contradicts its key or the replayed log, or an alias left at a rejected
     * or missing version.
     */
    List<String> checkObjects(ObjectStore store) {
        List<String> problems = new ArrayList<>();
        for (String key : store.list("")) {
            Matcher m;
            if ((m = ALIAS_EVENT.matcher(key)).matches()) {
                String model = m.group(1);
                String alias = m.group(2);
                long seq = Long.parseLong(m.group(3));
                JsonNode e = tree(store, key);
                List<Move> log = logs.getOrDefault(model, Map.of()).getOrDefault(alias, List.of());
                Move want = seq <= log.size() ? log.get((int) seq - 1) : null;
                Move got =
                        new Move(
                                e.path("seq").asLong(), number(e.get("from")), number(e.get("to")));
                if (!model.equals(e.path("model").asText())
                        || !alias.equals(e.path("alias").asText())
                        || !got.equals(want)) {
                    problems.add(key + " holds " + e + ", expected " + want);
                }
                if (got.to() != null && !ready.get(model).containsKey(got.to())) {
                    problems.add(key + " points at missing version " + got.to());
                }
                if (seq == log.size() && got.to() != null && !isReady(model, got.to())) {
                    problems.add(key + " leaves " + alias + " at rejected version " + got.to());
                }
            } else if ((m = REJECTION.matcher(key)).matches()) {
                JsonNode r = tree(store, key);
                if (r.path("version").asLong() != Long.parseLong(m.group(2))
                        || !r.path("reason").isTextual()) {
                    problems.add(key + " holds " + r);
                }
            } else if (!MANIFEST.matcher(key).matches() && !VERSION_FILE.matcher(key).matches()) {
                problems.add("key outside the layout: " + key);
            }
        }
        return problems;
    }

    private static JsonNode tree(ObjectStore store, String key) {
        try {
            return STRICT.readTree(store.get(key).orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(key + " does not parse", e);
        }
    }

    private static Long number(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }
}
