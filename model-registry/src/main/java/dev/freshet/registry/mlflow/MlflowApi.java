package dev.freshet.registry.mlflow;

import dev.freshet.registry.api.Requests;
import dev.freshet.registry.http.ApiException;
import dev.freshet.registry.http.Request;
import dev.freshet.registry.http.Response;
import dev.freshet.registry.http.Router;
import dev.freshet.registry.index.ModelEntry;
import dev.freshet.registry.index.ModelRegistry;
import dev.freshet.registry.index.VersionEntry;
import dev.freshet.store.ObjectStore;
import dev.freshet.store.S3ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The MLflow-compatible subset under {@code /api/2.0/mlflow/} (docs/REGISTRY.md): reading
 * registered models and model versions, their download URI, and setting, reading and deleting
 * aliases. Errors come in MLflow's {@code {"error_code", "message"}} shape.
 */
public final class MlflowApi {

    static final String BASE = "/api/2.0/mlflow";
    static final String ALIAS_ACTION = "promote";
    static final String ALIAS_REASON = "set via MLflow API";
    static final String ALIAS_DELETE_REASON = "deleted via MLflow API";
    static final String ACTOR = "mlflow";

    private final ModelRegistry registry;

    /** {@code s3://<bucket>/} for an S3 store, so {@code source} is a URI MLflow can download. */
    private final String artifactRoot;

    public MlflowApi(ModelRegistry registry) {
        this.registry = registry;
        this.artifactRoot = artifactRoot(registry.store());
    }

    /** Request bodies: strict, an unknown field is a 400 naming it. */
    record LatestVersionsBody(String name, List<String> stages) {}

    record SearchBody(String filter, Long maxResults, String pageToken, List<String> orderBy) {}

    /**
     * MLflow's proto has the version as a string, its Java client sends a number: either is taken,
     * nothing else (a boolean or a float is no version).
     */
    record SetAliasBody(String name, String alias, Object version) {}

    record AliasBody(String name, String alias) {}

    public Router routes(Router r) {
        String models = BASE + "/registered-models";
        String versions = BASE + "/model-versions";
        return r.errorFormat(BASE, MlflowErrors::response)
                .get(models + "/get", q -> registeredModel(q.query("name").orElse(null)))
                .get(models + "/search", q -> searchModels(searchParams(q)))
                .postRead(models + "/search", q -> searchModels(q.body(SearchBody.class)))
                .get(
                        models + "/get-latest-versions",
                        q -> latestVersions(q.query("name").orElse(null), q.queryAll("stages")))
                .postRead(models + "/get-latest-versions", this::latestVersionsPost)
                .get(models + "/alias", this::aliasGet)
                .post(models + "/alias", this::aliasSet)
                .delete(models + "/alias", this::aliasDelete)
                .get(versions + "/get", this::versionGet)
                .get(versions + "/search", q -> searchVersions(searchParams(q)))
                .postRead(versions + "/search", q -> searchVersions(q.body(SearchBody.class)))
                .get(versions + "/get-download-uri", this::downloadUri);
    }

    private Response registeredModel(String name) {
        ModelEntry m = registry.model(Requests.name("name", name));
        return Response.ok(
                Map.of("registered_model", MlflowViews.registeredModel(m, artifactRoot)));
    }

    private Response searchModels(SearchBody s) {
        MlflowFilter filter = MlflowFilter.parse(s.filter(), Set.of(MlflowFilter.NAME));
        int max = MlflowPages.maxResults(s.maxResults(), 100, 1000);
        noOrderBy(s.orderBy());
        Optional<MlflowPages.Position> after = MlflowPages.decode(s.pageToken());
        List<Map<String, Object>> page = new ArrayList<>();
        String next = null;
        for (ModelEntry m : registry.snapshot().models().values()) {
            if (after.isPresent() && m.name().compareTo(after.get().name()) <= 0
                    || !filter.matches(m.name(), 0)) {
                continue;
            }
            if (page.size() == max) {
                next = MlflowPages.encode(new MlflowPages.Position(last(page), 0));
                break;
            }
            page.add(MlflowViews.registeredModel(m, artifactRoot));
        }
        return Response.ok(MlflowPages.body("registered_models", page, next));
    }

    private Response searchVersions(SearchBody s) {
        MlflowFilter filter =
                MlflowFilter.parse(
                        s.filter(), Set.of(MlflowFilter.NAME, MlflowFilter.VERSION_NUMBER));
        int max = MlflowPages.maxResults(s.maxResults(), 10_000, 200_000);
        noOrderBy(s.orderBy());
        Optional<MlflowPages.Position> after = MlflowPages.decode(s.pageToken());
        List<Map<String, Object>> page = new ArrayList<>();
        VersionEntry lastAdded = null;
        String next = null;
        // Ordered by name, then newest version first; a page token is the last position shown.
        for (ModelEntry m : registry.snapshot().models().values()) {
            for (VersionEntry v : m.versions().descendingMap().values()) {
                if (after.isPresent() && !after.get().before(m.name(), v.version())
                        || !filter.matches(m.name(), v.version())) {
                    continue;
                }
                if (page.size() == max) {
                    next =
                            MlflowPages.encode(
                                    new MlflowPages.Position(
                                            lastAdded.manifest().model(), lastAdded.version()));
                    break;
                }
                page.add(MlflowViews.modelVersion(m, v, artifactRoot));
                lastAdded = v;
            }
            if (next != null) {
                break;
            }
        }
        return Response.ok(MlflowPages.body("model_versions", page, next));
    }

    private Response latestVersionsPost(Request q) {
        LatestVersionsBody body = q.body(LatestVersionsBody.class);
        return latestVersions(body.name(), body.stages() == null ? List.of() : body.stages());
    }

    private Response latestVersions(String name, List<String> stages) {
        ModelEntry m = registry.model(Requests.name("name", name));
        List<String> wanted = new ArrayList<>();
        for (String stage : stages) {
            wanted.add(canonicalStage(stage));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (VersionEntry v :
                MlflowViews.latestPerStage(m, wanted.isEmpty() ? MlflowViews.STAGES : wanted)) {
            out.add(MlflowViews.modelVersion(m, v, artifactRoot));
        }
        return Response.ok(Map.of("model_versions", out));
    }

    private Response versionGet(Request q) {
        String name = Requests.name("name", q.query("name").orElse(null));
        long version = Requests.version("version", q.query("version").orElse(null));
        VersionEntry v = registry.version(name, version);
        return Response.ok(
                Map.of(
                        "model_version",
                        MlflowViews.modelVersion(registry.model(name), v, artifactRoot)));
    }

    private Response downloadUri(Request q) {
        String name = Requests.name("name", q.query("name").orElse(null));
        long version = Requests.version("version", q.query("version").orElse(null));
        registry.version(name, version);
        return Response.ok(Map.of("artifact_uri", MlflowViews.source(artifactRoot, name, version)));
    }

    private Response aliasGet(Request q) {
        String name = Requests.name("name", q.query("name").orElse(null));
        String alias = Requests.name("alias", q.query("alias").orElse(null));
        ModelEntry m = registry.model(name);
        long version =
                m.resolve(alias)
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "registered model '"
                                                        + name
                                                        + "' has no alias '"
                                                        + alias
                                                        + "'"));
        return Response.ok(
                Map.of(
                        "model_version",
                        MlflowViews.modelVersion(
                                m, registry.version(name, version), artifactRoot)));
    }

    private Response aliasSet(Request q) {
        SetAliasBody body = q.body(SetAliasBody.class);
        String name = Requests.name("name", body.name());
        String alias = Requests.name("alias", body.alias());
        long version = Requests.version("version", versionText(body.version()));
        // MLflow's set is idempotent: setting an alias where it already is writes no audit entry.
        if (!registry.model(name).resolve(alias).equals(Optional.of(version))
                || ModelEntry.LATEST.equals(alias)) {
            registry.moveAlias(name, alias, version, null, ALIAS_ACTION, ALIAS_REASON, ACTOR);
        }
        return Response.ok(Map.of());
    }

    /** MLflow's Python client sends the DELETE's parameters as a JSON body; others as a query. */
    private Response aliasDelete(Request q) {
        AliasBody body =
                q.body().length > 0
                        ? q.body(AliasBody.class)
                        : new AliasBody(
                                q.query("name").orElse(null), q.query("alias").orElse(null));
        String name = Requests.name("name", body.name());
        String alias = Requests.name("alias", body.alias());
        registry.moveAlias(name, alias, null, null, "delete", ALIAS_DELETE_REASON, ACTOR);
        return Response.ok(Map.of());
    }

    private static String versionText(Object version) {
        if (version == null || version instanceof String) {
            return (String) version;
        }
        if (version instanceof Integer || version instanceof Long) {
            return version.toString();
        }
        throw ApiException.badRequest("version", "version must be a string or an integer");
    }

    private static SearchBody searchParams(Request q) {
        Long max = null;
        Optional<String> raw = q.query("max_results");
        if (raw.isPresent()) {
            try {
                max = Long.parseLong(raw.get());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(
                        "max_results", "max_results must be an integer, got '" + raw.get() + "'");
            }
        }
        return new SearchBody(
                q.query("filter").orElse(null),
                max,
                q.query("page_token").orElse(null),
                q.queryAll("order_by"));
    }

    private static void noOrderBy(List<String> orderBy) {
        if (orderBy != null && !orderBy.isEmpty()) {
            throw ApiException.badRequest(
                    "order_by",
                    "order_by is not supported; results come by name, then newest version first");
        }
    }

    private static String canonicalStage(String stage) {
        for (String s : MlflowViews.STAGES) {
            if (s.toLowerCase(Locale.ROOT)
                    .equals(stage == null ? null : stage.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw ApiException.badRequest(
                "stages", "stage '" + stage + "' is not one of " + MlflowViews.STAGES);
    }

    private static String last(List<Map<String, Object>> page) {
        return (String) page.get(page.size() - 1).get("name");
    }

    private static String artifactRoot(ObjectStore store) {
        return store instanceof S3ObjectStore s3 ? "s3://" + s3.settings().bucket() + "/" : "";
    }
}
