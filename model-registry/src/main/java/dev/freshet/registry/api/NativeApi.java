package dev.freshet.registry.api;

import dev.freshet.manifest.Manifest;
import dev.freshet.registry.http.ApiException;
import dev.freshet.registry.http.Request;
import dev.freshet.registry.http.Response;
import dev.freshet.registry.http.Router;
import dev.freshet.registry.index.AliasEvent;
import dev.freshet.registry.index.ModelEntry;
import dev.freshet.registry.index.ModelRegistry;
import dev.freshet.registry.index.Snapshot;
import dev.freshet.registry.index.StoreLayout;
import dev.freshet.registry.index.VersionEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/** The native API under {@code /api/v1} (docs/REGISTRY.md). */
public final class NativeApi {

    static final String BASE = "/api/v1/models";
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final ModelRegistry registry;
    private final Duration presignExpiry;

    /** Long-polls hold a server thread each; beyond this many they answer at once. */
    private final Semaphore waiters;

    public NativeApi(ModelRegistry registry, Duration presignExpiry, int maxWaiters) {
        this.registry = registry;
        this.presignExpiry = presignExpiry;
        this.waiters = new Semaphore(maxWaiters);
    }

    /** Request bodies: unknown fields and wrong types are refused by name. */
    record RejectBody(String reason, String actor) {}

    record PromoteBody(Long version, String reason, String actor, Long expectedVersion) {}

    record RollbackBody(String reason, String actor) {}

    public Router routes(Router r) {
        return r.get(BASE, this::models)
                .get(BASE + "/{model}", q -> Response.ok(Views.model(model(q))))
                .get(BASE + "/{model}/versions", this::versions)
                .post(BASE + "/{model}/versions", this::register)
                .get(BASE + "/{model}/versions/{version}", this::version)
                .post(BASE + "/{model}/versions/{version}/reject", this::reject)
                .get(BASE + "/{model}/versions/{version}/files", this::files)
                .get(BASE + "/{model}/versions/{version}/files/{file}", this::file)
                .get(BASE + "/{model}/candidates", this::candidates)
                .get(
                        BASE + "/{model}/aliases",
                        q -> Response.ok(Map.of("aliases", model(q).aliases())))
                .get(BASE + "/{model}/aliases/{alias}", this::alias)
                .put(BASE + "/{model}/aliases/{alias}", this::promote)
                .delete(BASE + "/{model}/aliases/{alias}", this::deleteAlias)
                .post(BASE + "/{model}/aliases/{alias}/rollback", this::rollback)
                .get(BASE + "/{model}/aliases/{alias}/history", this::history);
    }

    private Response models(Request q) {
        List<Map<String, Object>> out = new ArrayList<>();
        registry.snapshot().models().values().forEach(m -> out.add(Views.model(m)));
        return Response.ok(Map.of("models", out));
    }

    private ModelEntry model(Request q) {
        return registry.model(Requests.name("model", q.param("model")));
    }

    private VersionEntry versionOf(Request q) {
        String model = Requests.name("model", q.param("model"));
        return registry.version(model, Requests.version("version", q.param("version")));
    }

    private Response versions(Request q) {
        ModelEntry m = model(q);
        String state = q.query("state").orElse("all");
        if (!List.of("all", VersionEntry.READY, VersionEntry.REJECTED).contains(state)) {
            throw ApiException.badRequest("state", "state must be ready, rejected or all");
        }
        int size = Requests.pageSize(q.query("page_size").orElse(null), 50, 1000);
        long below = q.query("page_token").map(NativeApi::decodeToken).orElse(Long.MAX_VALUE);
        List<Map<String, Object>> page = new ArrayList<>();
        Long next = null;
        for (VersionEntry v : m.versions().headMap(below, false).descendingMap().values()) {
            if (!"all".equals(state) && !state.equals(v.state())) {
                continue;
            }
            if (page.size() == size) {
                next = page.isEmpty() ? null : (Long) page.get(page.size() - 1).get("version");
                break;
            }
            page.add(Views.versionSummary(m, v));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("versions", page);
        out.put("next_page_token", next == null ? null : encodeToken(next));
        return Response.ok(out);
    }

    private Response version(Request q) {
        return Response.ok(Views.versionDetail(model(q), versionOf(q)));
    }

    private Response register(Request q) {
        String model = Requests.name("model", q.param("model"));
        Manifest sent = q.body(Manifest.class);
        if (!model.equals(sent.model())) {
            throw ApiException.badRequest(
                    "model", "manifest is for model '" + sent.model() + "', not '" + model + "'");
        }
        if (sent.version() < 1) {
            throw ApiException.badRequest("version", "version must be a positive integer");
        }
        VersionEntry v = registry.register(sent);
        return Response.json(201, Views.versionSummary(registry.model(model), v));
    }

    private Response reject(Request q) {
        RejectBody body = q.body(RejectBody.class);
        String model = Requests.name("model", q.param("model"));
        long version = Requests.version("version", q.param("version"));
        VersionEntry v =
                registry.reject(
                        model,
                        version,
                        Requests.text("reason", body.reason()),
                        Requests.actor(body.actor()));
        return Response.ok(Views.versionDetail(registry.model(model), v));
    }

    private Response files(Request q) {
        VersionEntry v = versionOf(q);
        String expires = Instant.now().plus(presignExpiry).toString();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Manifest.FileEntry f : v.manifest().files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("name", f.name());
            file.put("sha256", f.sha256());
            file.put("bytes", f.bytes());
            file.put("url", presign(v, f.name()));
            file.put("expires_at", expires);
            out.add(file);
        }
        return Response.ok(
                Map.of("model", v.manifest().model(), "version", v.version(), "files", out));
    }

    private Response file(Request q) {
        VersionEntry v = versionOf(q);
        String name = q.param("file");
        if (v.manifest().files().stream().noneMatch(f -> f.name().equals(name))) {
            throw ApiException.notFound("version " + v.version() + " has no file '" + name + "'");
        }
        return Response.redirect(presign(v, name));
    }

    private String presign(VersionEntry v, String file) {
        return registry.store()
                .presignedGet(
                        StoreLayout.fileKey(v.manifest().model(), v.version(), file), presignExpiry)
                .toString();
    }

    private Response candidates(Request q) {
        List<Map<String, Object>> out = new ArrayList<>();
        model(q).candidates().forEach(c -> out.add(Views.candidate(c)));
        return Response.ok(Map.of("candidates", out));
    }

    private Response alias(Request q) throws ApiException {
        String model = Requests.name("model", q.param("model"));
        String alias = Requests.name("alias", q.param("alias"));
        Optional<Long> after =
                q.query("after").map(a -> a.equals("0") ? 0L : Requests.version("after", a));
        Duration wait =
                q.query("wait")
                        .map(w -> Requests.duration("wait", w, MAX_WAIT))
                        .orElse(DEFAULT_WAIT);
        Snapshot snap = registry.snapshot();
        if (after.isPresent() && current(snap, model, alias).orElse(0L).equals(after.get())) {
            snap = longPoll(snap, model, alias, after.get(), wait);
        }
        Optional<Long> version = current(snap, model, alias);
        if (version.isEmpty()) {
            if (after.isPresent()) {
                return Response.notModified("\"none\"");
            }
            snap.model(model)
                    .orElseThrow(() -> ApiException.notFound("no model named '" + model + "'"));
            throw ApiException.notFound("model '" + model + "' has no alias '" + alias + "'");
        }
        if (after.isPresent() && version.get().equals(after.get())) {
            return Response.notModified(etag(alias, version.get(), snap.model(model).get()));
        }
        ModelEntry m = snap.model(model).get();
        String etag = etag(alias, version.get(), m);
        if (q.header("If-None-Match").map(etag::equals).orElse(false)) {
            return Response.notModified(etag);
        }
        AliasEvent last = ModelEntry.LATEST.equals(alias) ? null : m.lastEvent(alias).orElse(null);
        return Response.ok(Views.alias(model, alias, version.get(), last, etag))
                .withHeader("ETag", etag);
    }

    private Snapshot longPoll(
            Snapshot snap, String model, String alias, long after, Duration wait) {
        if (!waiters.tryAcquire()) {
            return snap;
        }
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            Snapshot s = snap;
            while (current(s, model, alias).orElse(0L) == after) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                s = registry.awaitChange(s.generation(), Duration.ofNanos(left));
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return snap;
        } finally {
            waiters.release();
        }
    }

    private static Optional<Long> current(Snapshot snap, String model, String alias) {
        return snap.model(model).flatMap(m -> m.resolve(alias));
    }

    private static String etag(String alias, long version, ModelEntry m) {
        long seq = m.lastEvent(alias).map(AliasEvent::seq).orElse(0L);
        return "\"" + alias + "-" + seq + "-" + version + "\"";
    }

    private Response promote(Request q) {
        String model = Requests.name("model", q.param("model"));
        String alias = Requests.name("alias", q.param("alias"));
        PromoteBody body = q.body(PromoteBody.class);
        if (body.version() == null || body.version() < 1) {
            throw ApiException.badRequest(
                    "version", "version is required and must be a positive integer");
        }
        AliasEvent e =
                registry.moveAlias(
                        model,
                        alias,
                        body.version(),
                        body.expectedVersion(),
                        "promote",
                        Requests.text("reason", body.reason()),
                        Requests.actor(body.actor()));
        return Response.ok(e);
    }

    private Response rollback(Request q) {
        String model = Requests.name("model", q.param("model"));
        String alias = Requests.name("alias", q.param("alias"));
        RollbackBody body = q.body(RollbackBody.class);
        return Response.ok(
                registry.rollback(
                        model,
                        alias,
                        Requests.text("reason", body.reason()),
                        Requests.actor(body.actor())));
    }

    private Response deleteAlias(Request q) {
        String model = Requests.name("model", q.param("model"));
        String alias = Requests.name("alias", q.param("alias"));
        String reason = q.query("reason").orElse("deleted");
        return Response.ok(
                registry.moveAlias(
                        model,
                        alias,
                        null,
                        null,
                        "delete",
                        Requests.text("reason", reason),
                        Requests.actor(q.query("actor").orElse(null))));
    }

    private Response history(Request q) {
        ModelEntry m = model(q);
        String alias = Requests.name("alias", q.param("alias"));
        return Response.ok(Map.of("model", m.name(), "alias", alias, "entries", m.history(alias)));
    }

    private static String encodeToken(long below) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("v" + below).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeToken(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("v")) {
                return Long.parseLong(s.substring(1));
            }
        } catch (IllegalArgumentException e) {
            // NumberFormatException included; falls through
        }
        throw ApiException.badRequest("page_token", "page_token is not one this registry issued");
    }
}
