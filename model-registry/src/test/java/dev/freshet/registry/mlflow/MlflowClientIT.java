package dev.freshet.registry.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.registry.RegistryConfig;
import dev.freshet.registry.RegistryServer;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mlflow.api.proto.ModelRegistry.GetModelVersionByAlias;
import org.mlflow.api.proto.ModelRegistry.GetRegisteredModel;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.ModelVersionTag;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.SearchModelVersions;
import org.mlflow.api.proto.ModelRegistry.SearchRegisteredModels;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/**
 * The MLflow-compatible API driven by the official MLflow Java client, against a registry over a
 * real S3 endpoint (S3Proxy in this JVM) holding versions written as the trainer writes them.
 */
@ExtendWith(S3ServerExtension.class)
class MlflowClientIT {

    private static final String TOKEN = "t";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final S3ObjectStore store;
    private final String bucket;
    private final RegistryServer server;
    private final MlflowClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    MlflowClientIT(S3Server s3) throws IOException {
        bucket = "mlflow-" + BUCKETS.incrementAndGet();
        store =
                new S3ObjectStore(
                        new S3Settings(
                                URI.create(s3.endpoint()),
                                bucket,
                                s3.region(),
                                s3.accessKey(),
                                s3.secretKey()));
        store.ensureBucket();
        publish("ctr", 1, 0.70);
        publish("ctr", 2, 0.72);
        publish("ctr", 3, 0.74);
        publish("ctr-eu", 1, 0.65);
        publish("ranker", 1, 0.80);
        server =
                RegistryServer.start(RegistryConfig.defaults().withPort(0).withToken(TOKEN), store);
        server.registry().reject("ctr", 2, "calibration drift", "alice");
        client = new MlflowClient(new BasicMlflowHostCreds(server.uri().toString(), TOKEN));
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
        store.close();
    }

    @Test
    void getRegisteredModelListsLatestVersionPerStageAndAliases() {
        client.sendPost(
                "registered-models/alias",
                "{\"name\": \"ctr\", \"alias\": \"champion\", \"version\": \"1\"}");

        RegisteredModel m = client.getRegisteredModel("ctr");

        assertThat(m.getName()).isEqualTo("ctr");
        assertThat(m.getCreationTimestamp()).isEqualTo(T0.plusSeconds(3600).toEpochMilli());
        assertThat(m.getLastUpdatedTimestamp()).isGreaterThan(T0.toEpochMilli() + 3 * 3600_000);
        assertThat(m.getLatestVersionsList())
                .extracting(ModelVersion::getVersion, ModelVersion::getCurrentStage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("3", "None"),
                        org.assertj.core.groups.Tuple.tuple("2", "Archived"));
        assertThat(m.getAliasesList())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.getAlias()).isEqualTo("champion");
                            assertThat(a.getVersion()).isEqualTo("1");
                        });
    }

    @Test
    void getModelVersionCarriesStageSourceTagsAndAliases() {
        ModelVersion v3 = client.getModelVersion("ctr", "3");
        assertThat(v3.getName()).isEqualTo("ctr");
        assertThat(v3.getVersion()).isEqualTo("3");
        assertThat(v3.getCurrentStage()).isEqualTo("None");
        assertThat(v3.getStatus()).isEqualTo(ModelVersionStatus.READY);
        assertThat(v3.getCreationTimestamp()).isEqualTo(T0.plusSeconds(3 * 3600).toEpochMilli());
        assertThat(v3.getSource()).isEqualTo("s3://" + bucket + "/models/ctr/versions/3");
        assertThat(v3.getRunId()).isEmpty();
        assertThat(tags(v3))
                .containsEntry("freshet.passed_gates", "true")
                .containsEntry("freshet.auc.click", "0.74")
                .containsEntry("freshet.gate.loss_spike", "PASS")
                .containsEntry("freshet.state", "ready");

        ModelVersion v2 = client.getModelVersion("ctr", "2");
        assertThat(v2.getCurrentStage()).isEqualTo("Archived");
        assertThat(v2.getDescription()).contains("calibration drift");
        assertThat(tags(v2)).containsEntry("freshet.rejected_by", "alice");
    }

    @Test
    void unknownModelsAndVersionsAre404InMlflowsErrorShape() throws Exception {
        assertThatThrownBy(() -> client.getRegisteredModel("nope"))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        e -> {
                            assertThat(e.getStatusCode()).isEqualTo(404);
                            assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                        });
        assertThatThrownBy(() -> client.getModelVersion("ctr", "9"))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(404));

        HttpResponse<String> bad = get("model-versions/get?name=ctr&version=two");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(bad.body());
        assertThat(body.get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(body.get("message").asText()).contains("version");
        assertThat(body.has("error")).isFalse();

        // The native API keeps its own shape.
        HttpResponse<String> nativeMissing =
                http.send(
                        HttpRequest.newBuilder(server.uri().resolve("/api/v1/models/nope")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(nativeMissing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(nativeMissing.body()).has("error")).isTrue();
    }

    @Test
    void searchModelVersionsFiltersAndPages() {
        ModelVersionsPage all = client.searchModelVersions("name='ctr'");
        assertThat(all.getItems())
                .extracting(ModelVersion::getVersion)
                .containsExactly("3", "2", "1");

        ModelVersionsPage first = client.searchModelVersions("name LIKE 'ctr%'", 2, List.of());
        assertThat(first.getItems())
                .extracting(v -> v.getName() + "/" + v.getVersion())
                .containsExactly("ctr/3", "ctr/2");
        assertThat(first.hasNextPage()).isTrue();
        ModelVersionsPage second = (ModelVersionsPage) first.getNextPage();
        assertThat(second.getItems())
                .extracting(v -> v.getName() + "/" + v.getVersion())
                .containsExactly("ctr/1", "ctr-eu/1");
        assertThat(second.hasNextPage()).isFalse();

        assertThat(client.searchModelVersions("name='ctr' AND version_number >= 2").getItems())
                .extracting(ModelVersion::getVersion)
                .containsExactly("3", "2");

        assertThatThrownBy(() -> client.searchModelVersions("run_id='abc'"))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        e -> {
                            assertThat(e.getStatusCode()).isEqualTo(400);
                            assertThat(e.getBodyMessage()).contains("run_id");
                        });
    }

    @Test
    void searchRegisteredModelsFiltersAndPagesOverGetAndPost() throws Exception {
        SearchRegisteredModels.Response all =
                parse(
                        client.sendGet("registered-models/search"),
                        SearchRegisteredModels.Response.newBuilder());
        assertThat(all.getRegisteredModelsList())
                .extracting(RegisteredModel::getName)
                .containsExactly("ctr", "ctr-eu", "ranker");
        assertThat(all.getNextPageToken()).isEmpty();

        SearchRegisteredModels.Response page1 =
                parse(
                        client.sendPost(
                                "registered-models/search",
                                "{\"filter\": \"name LIKE 'ctr%'\", \"max_results\": 1}"),
                        SearchRegisteredModels.Response.newBuilder());
        assertThat(page1.getRegisteredModelsList())
                .extracting(RegisteredModel::getName)
                .containsExactly("ctr");
        SearchRegisteredModels.Response page2 =
                parse(
                        client.sendGet(
                                "registered-models/search?filter=name+LIKE+%27ctr%25%27"
                                        + "&max_results=1&page_token="
                                        + page1.getNextPageToken()),
                        SearchRegisteredModels.Response.newBuilder());
        assertThat(page2.getRegisteredModelsList())
                .extracting(RegisteredModel::getName)
                .containsExactly("ctr-eu");
        assertThat(page2.getNextPageToken()).isEmpty();

        SearchRegisteredModels.Response exact =
                parse(
                        client.sendGet("registered-models/search?filter=name%3D%27ranker%27"),
                        SearchRegisteredModels.Response.newBuilder());
        assertThat(exact.getRegisteredModelsList())
                .extracting(RegisteredModel::getName)
                .containsExactly("ranker");
    }

    @Test
    void responsesParseStrictlyAsMlflowsProtobufMessages() throws Exception {
        // The client ignores unknown fields; a strict parse proves every field name is MLflow's.
        client.sendPost(
                "registered-models/alias",
                "{\"name\": \"ctr\", \"alias\": \"champion\", \"version\": \"3\"}");
        parse(
                client.sendGet("registered-models/get?name=ctr"),
                GetRegisteredModel.Response.newBuilder());
        parse(
                client.sendGet("model-versions/search?filter=name%3D%27ctr%27"),
                SearchModelVersions.Response.newBuilder());
        parse(
                client.sendGet("registered-models/alias?name=ctr&alias=champion"),
                GetModelVersionByAlias.Response.newBuilder());
    }

    @Test
    void latestVersionsByStage() {
        assertThat(client.getLatestVersions("ctr"))
                .extracting(ModelVersion::getVersion, ModelVersion::getCurrentStage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("3", "None"),
                        org.assertj.core.groups.Tuple.tuple("2", "Archived"));
        assertThat(client.getLatestVersions("ctr", List.of("None")))
                .extracting(ModelVersion::getVersion)
                .containsExactly("3");
        assertThat(client.getLatestVersions("ctr", List.of("archived", "Production")))
                .extracting(ModelVersion::getVersion)
                .containsExactly("2");
        assertThat(client.getLatestVersions("ctr", List.of("Staging"))).isEmpty();

        String viaPost =
                client.sendPost(
                        "registered-models/get-latest-versions",
                        "{\"name\": \"ranker\", \"stages\": [\"None\"]}");
        assertThat(viaPost).contains("\"version\":\"1\"");

        assertThatThrownBy(() -> client.getLatestVersions("ctr", List.of("Shipped")))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        e -> {
                            assertThat(e.getStatusCode()).isEqualTo(400);
                            assertThat(e.getBodyMessage()).contains("Shipped");
                        });
    }

    @Test
    void downloadUriIsTheVersionsPrefixInTheBucket() {
        assertThat(client.getModelVersionDownloadUri("ctr", "1"))
                .isEqualTo("s3://" + bucket + "/models/ctr/versions/1");
        assertThat(store.exists("models/ctr/versions/1/model.params")).isTrue();
        assertThatThrownBy(() -> client.getModelVersionDownloadUri("ctr", "7"))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }

    @Test
    void aliasesSetGetAndDeleteWithAnAuditTrail() throws Exception {
        client.sendPost(
                "registered-models/alias",
                "{\"name\": \"ctr\", \"alias\": \"champion\", \"version\": \"1\"}");
        client.sendPost(
                "registered-models/alias",
                "{\"name\": \"ctr\", \"alias\": \"champion\", \"version\": \"3\"}");

        GetModelVersionByAlias.Response byAlias =
                parse(
                        client.sendGet("registered-models/alias?name=ctr&alias=champion"),
                        GetModelVersionByAlias.Response.newBuilder());
        assertThat(byAlias.getModelVersion().getVersion()).isEqualTo("3");
        assertThat(byAlias.getModelVersion().getAliasesList()).containsExactly("champion");
        assertThat(client.getModelVersion("ctr", "1").getAliasesList()).isEmpty();

        // The move is in the native audit trail, as the MLflow API's actor.
        JsonNode history =
                JSON.readTree(
                        http.send(
                                        HttpRequest.newBuilder(
                                                        server.uri()
                                                                .resolve(
                                                                        "/api/v1/models/ctr/aliases/champion/history"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body());
        JsonNode newest = history.get("entries").get(0);
        assertThat(newest.get("to").asLong()).isEqualTo(3);
        assertThat(newest.get("from").asLong()).isEqualTo(1);
        assertThat(newest.get("actor").asText()).isEqualTo("mlflow");
        assertThat(newest.get("reason").asText()).isEqualTo("set via MLflow API");

        // A rejected version cannot be behind an alias.
        assertThatThrownBy(
                        () ->
                                client.sendPost(
                                        "registered-models/alias",
                                        "{\"name\": \"ctr\", \"alias\": \"champion\", \"version\": \"2\"}"))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(409));

        // Delete with query parameters (and the token), then with a JSON body as MLflow's Python
        // client sends it.
        HttpResponse<String> deleted =
                send("DELETE", "registered-models/alias?name=ctr&alias=champion", null, TOKEN);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> client.sendGet("registered-models/alias?name=ctr&alias=champion"))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(404));

        client.sendPost(
                "registered-models/alias",
                "{\"name\": \"ranker\", \"alias\": \"prod\", \"version\": 1}");
        assertThat(client.getRegisteredModel("ranker").getAliasesList()).hasSize(1);
        HttpResponse<String> deletedByBody =
                send(
                        "DELETE",
                        "registered-models/alias",
                        "{\"name\": \"ranker\", \"alias\": \"prod\"}",
                        TOKEN);
        assertThat(deletedByBody.statusCode()).isEqualTo(200);
        assertThat(client.getRegisteredModel("ranker").getAliasesList()).isEmpty();
    }

    @Test
    void writesWithoutTheTokenAreRefused() throws Exception {
        String body = "{\"name\": \"ctr\", \"alias\": \"champion\", \"version\": \"1\"}";
        HttpResponse<String> none = send("POST", "registered-models/alias", body, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).get("error_code").asText())
                .isEqualTo("UNAUTHENTICATED");

        try (MlflowClient wrong =
                new MlflowClient(new BasicMlflowHostCreds(server.uri().toString(), "nope"))) {
            assertThatThrownBy(() -> wrong.sendPost("registered-models/alias", body))
                    .isInstanceOfSatisfying(
                            MlflowHttpException.class,
                            e -> assertThat(e.getStatusCode()).isEqualTo(401));
            // Reads need no token, and the read-only POSTs neither.
            assertThat(wrong.getRegisteredModel("ctr").getName()).isEqualTo("ctr");
            assertThat(wrong.sendPost("registered-models/search", "{}")).contains("ranker");
        }
        assertThat(
                        send("DELETE", "registered-models/alias?name=ctr&alias=x", null, null)
                                .statusCode())
                .isEqualTo(401);
        assertThat(client.getRegisteredModel("ctr").getAliasesList()).isEmpty();
    }

    @Test
    void badBodiesAre400NamingTheField() throws Exception {
        HttpResponse<String> unknown =
                send(
                        "POST",
                        "registered-models/alias",
                        "{\"name\": \"ctr\", \"alias\": \"a\", \"version\": \"1\", \"stage\": \"x\"}",
                        TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(unknown.body());
        assertThat(body.get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(body.get("message").asText()).contains("'stage'");

        HttpResponse<String> searchUnknown =
                send("POST", "model-versions/search", "{\"filtr\": \"name='ctr'\"}", null);
        assertThat(searchUnknown.statusCode()).isEqualTo(400);
        assertThat(searchUnknown.body()).contains("filtr");

        HttpResponse<String> missingVersion =
                send(
                        "POST",
                        "registered-models/alias",
                        "{\"name\": \"ctr\", \"alias\": \"a\"}",
                        TOKEN);
        assertThat(missingVersion.statusCode()).isEqualTo(400);
        assertThat(missingVersion.body()).contains("version");

        HttpResponse<String> malformed =
                send("POST", "registered-models/get-latest-versions", "{\"name\": ", null);
        assertThat(malformed.statusCode()).isEqualTo(400);

        HttpResponse<String> badToken = get("model-versions/search?page_token=%21%21");
        assertThat(badToken.statusCode()).isEqualTo(400);
        assertThat(badToken.body()).contains("page_token");

        HttpResponse<String> latest =
                send(
                        "POST",
                        "registered-models/alias",
                        "{\"name\": \"ctr\", \"alias\": \"latest\", \"version\": \"1\"}",
                        TOKEN);
        assertThat(latest.statusCode()).isEqualTo(400);
        assertThat(latest.body()).contains("latest");

        HttpResponse<String> noRoute = get("experiments/list");
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noRoute.body()).get("error_code").asText())
                .isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    private HttpResponse<String> send(String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(server.uri().resolve(MlflowApi.BASE + "/" + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parse(String json, Message.Builder builder)
            throws IOException {
        JsonFormat.parser().merge(json, builder);
        return (T) builder.build();
    }

    private static Map<String, String> tags(ModelVersion v) {
        return v.getTagsList().stream()
                .collect(
                        java.util.stream.Collectors.toMap(
                                ModelVersionTag::getKey, ModelVersionTag::getValue));
    }

    /** Files first, then the manifest with a conditional PUT, as the trainer's publisher does. */
    private void publish(String model, long version, double auc) {
        byte[] params = (model + "/" + version).getBytes(UTF_8);
        String prefix = "models/" + model + "/versions/" + version + "/";
        assertThat(store.putIfAbsent(prefix + "model.params", params, "application/octet-stream"))
                .isTrue();
        Manifest manifest =
                new Manifest(
                        Manifest.FORMAT,
                        model,
                        version,
                        "c-" + version,
                        T0.plusSeconds(version * 3600).toString(),
                        version == 1 ? null : version - 1,
                        List.of(
                                new Manifest.FileEntry(
                                        "model.params", sha256(params), params.length)),
                        new Manifest.Lineage(
                                "samples",
                                Map.of(0, 100 * version),
                                new Manifest.Counts(100 * version, 100 * version, 0, 0, 0),
                                new Manifest.Counts(100, 100, 0, 0, 0),
                                T0.toEpochMilli(),
                                T0.plusSeconds(version * 3000).toEpochMilli(),
                                "spec-1",
                                "cfg",
                                10 * version),
                        List.of(CheckResult.of("loss_spike", true, Map.of("z", 0.5), "fine")),
                        Map.of("click", new TaskMetrics("click", 1000, auc, 0.4, 1.0, 0.1, 0.1)),
                        null);
        assertThat(
                        store.putIfAbsent(
                                prefix + Manifest.FILE,
                                ManifestJson.toBytes(manifest),
                                "application/json"))
                .isTrue();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
