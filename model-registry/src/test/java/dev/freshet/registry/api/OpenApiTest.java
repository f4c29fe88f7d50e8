package dev.freshet.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.registry.RegistryConfig;
import dev.freshet.registry.RegistryMetrics;
import dev.freshet.registry.RegistryServer;
import dev.freshet.registry.http.Router;
import dev.freshet.registry.index.ModelRegistry;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import java.net.URI;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document says what the service does: every native route is a documented operation and
 * every documented operation a route. MLflow's /api/2.0 routes are documented by MLflow.
 */
class OpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Set<String> OUTSIDE_API = Set.of("/healthz", "/readyz", "/metrics");

    private S3ObjectStore store;
    private JsonNode doc;

    @BeforeEach
    void setUp() throws Exception {
        // Building the routes never touches the store: an endpoint nobody listens on will do.
        store =
                new S3ObjectStore(
                        new S3Settings(
                                URI.create("http://127.0.0.1:9"), "unused", "us-east-1", "k", "s"));
        doc = new ObjectMapper().readTree(OpenApi.load());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<Router.Route> routes() {
        ModelRegistry registry = new ModelRegistry(store, Clock.systemUTC());
        return RegistryServer.routing(
                        registry, RegistryConfig.defaults(), new RegistryMetrics(registry))
                .routes();
    }

    private static boolean documented(String template) {
        return template.startsWith("/api/v1/") || OUTSIDE_API.contains(template);
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedPathIsARoute() {
        Set<String> served = new TreeSet<>();
        for (Router.Route r : routes()) {
            if (documented(r.template())) {
                served.add(r.method() + " " + r.template());
            }
        }
        Set<String> inDoc = new TreeSet<>();
        doc.get("paths")
                .fields()
                .forEachRemaining(
                        p ->
                                p.getValue()
                                        .fieldNames()
                                        .forEachRemaining(
                                                m -> {
                                                    if (METHODS.contains(m)) {
                                                        inDoc.add(
                                                                m.toUpperCase() + " " + p.getKey());
                                                    }
                                                }));

        assertThat(served).contains("GET /api/v1/models", "GET /api/v1/openapi.json");
        assertThat(inDoc).isEqualTo(served);
    }

    @Test
    void isOpenApi3WithBearerOnEveryWriteAndErrorsAsErrorSchema() {
        assertThat(doc.get("openapi").asText()).startsWith("3.0.");
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText())
                .isEqualTo("bearer");
        assertThat(doc.at("/components/schemas/Error/required").toString())
                .isEqualTo("[\"error\"]");
        assertThat(doc.at("/components/schemas/Error/properties").has("field")).isTrue();
        for (Router.Route r : routes()) {
            if (!r.template().startsWith("/api/v1/")) {
                continue;
            }
            JsonNode op = doc.at(pointer(r.template(), r.method()));
            assertThat(op.has("security"))
                    .as(
                            "%s %s has bearer security exactly when it writes",
                            r.method(), r.template())
                    .isEqualTo(r.write());
            Set<String> params = pathParams(r.template());
            assertThat(declaredPathParams(op))
                    .as("path params of %s", r.template())
                    .isEqualTo(params);
        }
        assertThat(
                        doc.at(pointer("/api/v1/models/{model}/aliases/{alias}", "GET"))
                                .at("/responses")
                                .has("304"))
                .isTrue();
    }

    @Test
    void everyReferenceResolves() {
        Set<String> missing = new TreeSet<>();
        collectRefs(doc, missing);
        assertThat(missing).isEmpty();
    }

    private void collectRefs(JsonNode node, Set<String> missing) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && doc.at(ref.asText().substring(1)).isMissingNode()) {
                missing.add(ref.asText());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                collectRefs(it.next().getValue(), missing);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, missing));
        }
    }

    private Set<String> declaredPathParams(JsonNode op) {
        Set<String> out = new TreeSet<>();
        for (JsonNode p : op.path("parameters")) {
            JsonNode param = p.has("$ref") ? doc.at(p.get("$ref").asText().substring(1)) : p;
            if ("path".equals(param.path("in").asText())) {
                out.add(param.get("name").asText());
            }
        }
        return out;
    }

    private static Set<String> pathParams(String template) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String pointer(String path, String method) {
        return "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.toLowerCase();
    }
}
