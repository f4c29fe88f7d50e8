package dev.freshet.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The native API over a real HTTP client, a real registry and a real S3 server (S3Proxy). */
@ExtendWith(S3ServerExtension.class)
class RegistryApiIT {

    private static final String TOKEN = "test-write-token";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3Server s3;
    private S3ObjectStore store;
    private RegistryServer registry;
    private TestHttp api;

    RegistryApiIT(S3Server s3) {
        this.s3 = s3;
    }

    @BeforeEach
    void start() throws Exception {
        store = newStore("registry-" + BUCKETS.incrementAndGet());
        store.ensureBucket();
        registry = RegistryServer.start(config(), store);
        api = new TestHttp(registry.uri(), TOKEN);
    }

    @AfterEach
    void stop() {
        registry.close();
        store.close();
    }

    private static RegistryConfig config() {
        return RegistryConfig.defaults()
                .withPort(0)
                .withToken(TOKEN)
                .withRefresh(Duration.ofMillis(200));
    }

    private S3ObjectStore newStore(String bucket) {
        return new S3ObjectStore(
                new S3Settings(
                        URI.create(s3.endpoint()),
                        bucket,
                        s3.region(),
                        s3.accessKey(),
                        s3.secretKey()));
    }

    @Test
    void listsModelsAndVersionsNewestFirstWithStateFilterAndPages() {
        for (long v = 1; v <= 5; v++) {
            TestVersions.publish(store, "ctr", v);
        }
        registry.registry().refresh();
        assertThat(
                        api.post(
                                        "/api/v1/models/ctr/versions/2/reject",
                                        "{\"reason\":\"bad calibration\",\"actor\":\"ana\"}")
                                .status())
                .isEqualTo(200);

        JsonNode models = api.get("/api/v1/models").json();
        assertThat(models.at("/models/0/name").asText()).isEqualTo("ctr");
        assertThat(models.at("/models/0/versions").asInt()).isEqualTo(5);
        assertThat(models.at("/models/0/aliases/latest").asLong()).isEqualTo(5);

        JsonNode page1 = api.get("/api/v1/models/ctr/versions?page_size=2").json();
        assertThat(versions(page1)).containsExactly(5L, 4L);
        JsonNode page2 =
                api.get(
                                "/api/v1/models/ctr/versions?page_size=2&page_token="
                                        + page1.get("next_page_token").asText())
                        .json();
        assertThat(versions(page2)).containsExactly(3L, 2L);
        JsonNode page3 =
                api.get(
                                "/api/v1/models/ctr/versions?page_size=2&page_token="
                                        + page2.get("next_page_token").asText())
                        .json();
        assertThat(versions(page3)).containsExactly(1L);
        assertThat(page3.get("next_page_token").isNull()).isTrue();

        assertThat(versions(api.get("/api/v1/models/ctr/versions?state=rejected").json()))
                .containsExactly(2L);
        assertThat(versions(api.get("/api/v1/models/ctr/versions?state=ready").json()))
                .containsExactly(5L, 4L, 3L, 1L);

        JsonNode v3 = api.get("/api/v1/models/ctr/versions/3").json();
        assertThat(v3.get("state").asText()).isEqualTo("ready");
        assertThat(v3.at("/manifest/lineage/samples/trained").asLong()).isEqualTo(300);
        assertThat(v3.at("/gates/1/name").asText()).isEqualTo("quality");
        assertThat(v3.at("/metrics/click/auc").asDouble()).isEqualTo(0.73);
        assertThat(v3.at("/metrics/save/auc").asText()).isEqualTo("NaN");
        assertThat(v3.get("freshness_seconds").asDouble()).isEqualTo(7.0);
        JsonNode v2 = api.get("/api/v1/models/ctr/versions/2").json();
        assertThat(v2.at("/rejection/actor").asText()).isEqualTo("ana");
        assertThat(v2.at("/rejection/reason").asText()).isEqualTo("bad calibration");
    }

    private static List<Long> versions(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.get("versions").forEach(v -> out.add(v.get("version").asLong()));
        return out;
    }

    @Test
    void registerAcceptsOnlyTheManifestTheStoreHolds() {
        Manifest m = TestVersions.publish(store, "ctr", 1);
        String body = new String(ManifestJson.toBytes(m), StandardCharsets.UTF_8);

        assertThat(api.postWithoutToken("/api/v1/models/ctr/versions", body).status())
                .isEqualTo(401);
        TestHttp.Answer ok = api.post("/api/v1/models/ctr/versions", body);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().get("version").asLong()).isEqualTo(1);

        Manifest notPublished = TestVersions.manifest("ctr", 2, 0.8, true);
        TestHttp.Answer missing =
                api.post(
                        "/api/v1/models/ctr/versions",
                        new String(ManifestJson.toBytes(notPublished), StandardCharsets.UTF_8));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).contains("publish before registering");

        Manifest tampered = TestVersions.manifest("ctr", 1, 0.99, true);
        TestHttp.Answer conflict =
                api.post(
                        "/api/v1/models/ctr/versions",
                        new String(ManifestJson.toBytes(tampered), StandardCharsets.UTF_8));
        assertThat(conflict.status()).isEqualTo(409);

        TestHttp.Answer wrongModel = api.post("/api/v1/models/other/versions", body);
        assertThat(wrongModel.status()).isEqualTo(400);
        assertThat(wrongModel.json().get("field").asText()).isEqualTo("model");
    }

    @Test
    void promoteLookupRollbackAndDeleteLeaveAnAuditTrail() {
        for (long v = 1; v <= 3; v++) {
            TestVersions.publish(store, "ctr", v);
        }
        registry.registry().refresh();
        assertThat(api.get("/api/v1/models/ctr/aliases/production").status()).isEqualTo(404);

        assertThat(
                        api.put(
                                        "/api/v1/models/ctr/aliases/production",
                                        "{\"version\":1,\"reason\":\"first\",\"actor\":\"ana\"}")
                                .status())
                .isEqualTo(200);
        assertThat(
                        api.put(
                                        "/api/v1/models/ctr/aliases/production",
                                        "{\"version\":3,\"reason\":\"better auc\",\"actor\":\"bo\",\"expected_version\":1}")
                                .status())
                .isEqualTo(200);
        TestHttp.Answer stale =
                api.put(
                        "/api/v1/models/ctr/aliases/production",
                        "{\"version\":2,\"reason\":\"x\",\"expected_version\":1}");
        assertThat(stale.status()).isEqualTo(409);

        TestHttp.Answer lookup = api.get("/api/v1/models/ctr/aliases/production");
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.json().get("version").asLong()).isEqualTo(3);
        assertThat(lookup.json().get("moved_by").asText()).isEqualTo("bo");
        String etag = lookup.header("ETag").orElseThrow();
        assertThat(api.get("/api/v1/models/ctr/aliases/production", "If-None-Match", etag).status())
                .isEqualTo(304);

        TestHttp.Answer rollback =
                api.post(
                        "/api/v1/models/ctr/aliases/production/rollback",
                        "{\"reason\":\"p99 regression\",\"actor\":\"cy\"}");
        assertThat(rollback.status()).isEqualTo(200);
        assertThat(rollback.json().get("from").asLong()).isEqualTo(3);
        assertThat(rollback.json().get("to").asLong()).isEqualTo(1);
        TestHttp.Answer after =
                api.get("/api/v1/models/ctr/aliases/production", "If-None-Match", etag);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("version").asLong()).isEqualTo(1);

        // A version behind an alias cannot be rejected; a rejected one cannot be promoted.
        assertThat(api.post("/api/v1/models/ctr/versions/1/reject", "{\"reason\":\"r\"}").status())
                .isEqualTo(409);
        assertThat(api.post("/api/v1/models/ctr/versions/2/reject", "{\"reason\":\"r\"}").status())
                .isEqualTo(200);
        assertThat(
                        api.put(
                                        "/api/v1/models/ctr/aliases/production",
                                        "{\"version\":2,\"reason\":\"x\"}")
                                .status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/models/ctr/aliases/latest").json().get("version").asLong())
                .isEqualTo(3);
        assertThat(
                        api.put(
                                        "/api/v1/models/ctr/aliases/latest",
                                        "{\"version\":1,\"reason\":\"x\"}")
                                .json()
                                .get("field")
                                .asText())
                .isEqualTo("alias");

        assertThat(
                        api.delete("/api/v1/models/ctr/aliases/production?reason=retired&actor=dee")
                                .status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/models/ctr/aliases/production").status()).isEqualTo(404);

        JsonNode history =
                api.get("/api/v1/models/ctr/aliases/production/history").json().get("entries");
        assertThat(history).hasSize(4);
        assertThat(history.get(0).get("action").asText()).isEqualTo("delete");
        assertThat(history.get(0).get("actor").asText()).isEqualTo("dee");
        assertThat(history.get(0).get("to").isNull()).isTrue();
        assertThat(history.get(1).get("action").asText()).isEqualTo("rollback");
        assertThat(history.get(1).get("reason").asText()).isEqualTo("p99 regression");
        assertThat(history.get(2).get("from").asLong()).isEqualTo(1);
        assertThat(history.get(2).get("to").asLong()).isEqualTo(3);
        assertThat(history.get(3).get("from").isNull()).isTrue();
        assertThat(history.get(3).get("at").asText()).isNotBlank();
    }

    @Test
    void longPollAnswersWhenAnotherWriterPublishes() throws Exception {
        TestVersions.publish(store, "ctr", 1);
        registry.registry().refresh();

        CompletableFuture<TestHttp.Answer> poll =
                CompletableFuture.supplyAsync(
                        () -> api.get("/api/v1/models/ctr/aliases/latest?after=1&wait=60s"));
        // The poll is parked: nothing changed.
        assertThat(poll).isNotDone();
        TestVersions.publish(store, "ctr", 2); // straight to the bucket, as another trainer would

        TestHttp.Answer answer = poll.get(30, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("version").asLong()).isEqualTo(2);

        TestHttp.Answer timeout = api.get("/api/v1/models/ctr/aliases/latest?after=2&wait=300ms");
        assertThat(timeout.status()).isEqualTo(304);
        assertThat(timeout.header("ETag")).isPresent();
    }

    @Test
    void twoRegistriesRacingForAnAliasCannotBothWin() throws Exception {
        TestVersions.publish(store, "ctr", 1);
        TestVersions.publish(store, "ctr", 2);
        TestVersions.publish(store, "ctr", 3);
        try (RegistryServer other = RegistryServer.start(config(), store)) {
            TestHttp otherApi = new TestHttp(other.uri(), TOKEN);
            registry.registry().refresh();
            other.registry().refresh();
            assertThat(
                            api.put(
                                            "/api/v1/models/ctr/aliases/production",
                                            "{\"version\":1,\"reason\":\"base\"}")
                                    .status())
                    .isEqualTo(200);
            other.registry().refresh();
            for (int round = 0; round < 5; round++) {
                // Both registries believe the alias is at its current version; both try to move it.
                registry.registry().refresh();
                other.registry().refresh();
                long target = round % 2 == 0 ? 2 : 3;
                CompletableFuture<TestHttp.Answer> a =
                        CompletableFuture.supplyAsync(
                                () ->
                                        api.put(
                                                "/api/v1/models/ctr/aliases/production",
                                                "{\"version\":" + target + ",\"reason\":\"a\"}"));
                CompletableFuture<TestHttp.Answer> b =
                        CompletableFuture.supplyAsync(
                                () ->
                                        otherApi.put(
                                                "/api/v1/models/ctr/aliases/production",
                                                "{\"version\":1,\"reason\":\"b\"}"));
                List<Integer> statuses = List.of(a.get().status(), b.get().status());
                assertThat(statuses).contains(200);
            }
            registry.registry().refresh();
            other.registry().refresh();
            // Whatever won, the log has no gaps and no duplicate sequence numbers, and both agree.
            JsonNode h1 =
                    api.get("/api/v1/models/ctr/aliases/production/history").json().get("entries");
            JsonNode h2 =
                    otherApi.get("/api/v1/models/ctr/aliases/production/history")
                            .json()
                            .get("entries");
            assertThat(h1).isEqualTo(h2);
            for (int i = 0; i < h1.size(); i++) {
                assertThat(h1.get(i).get("seq").asLong()).isEqualTo(h1.size() - i);
                if (i + 1 < h1.size()) {
                    assertThat(h1.get(i).get("from")).isEqualTo(h1.get(i + 1).get("to"));
                }
            }
            assertThat(api.get("/api/v1/models/ctr/aliases/production").json())
                    .isEqualTo(otherApi.get("/api/v1/models/ctr/aliases/production").json());
        }
    }

    @Test
    void downloadLinksServeFilesMatchingTheManifest() throws Exception {
        Manifest m = TestVersions.publish(store, "ctr", 1);
        registry.registry().refresh();
        JsonNode files = api.get("/api/v1/models/ctr/versions/1/files").json().get("files");
        assertThat(files).hasSize(1);
        HttpClient http =
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<byte[]> direct =
                http.send(
                        HttpRequest.newBuilder(URI.create(files.get(0).get("url").asText()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(Checksums.sha256(direct.body())).isEqualTo(m.files().get(0).sha256());
        HttpResponse<byte[]> redirected =
                http.send(
                        HttpRequest.newBuilder(
                                        registry.uri()
                                                .resolve(
                                                        "/api/v1/models/ctr/versions/1/files/parameters.safetensors"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(redirected.statusCode()).isEqualTo(200);
        assertThat(redirected.body()).isEqualTo(direct.body());
        assertThat(api.get("/api/v1/models/ctr/versions/1/files/nope.bin").status()).isEqualTo(404);
    }

    @Test
    void clientMistakesGetJsonErrorsNamingTheField() {
        TestVersions.publish(store, "ctr", 1);
        registry.registry().refresh();
        assertError(
                api.put(
                        "/api/v1/models/ctr/aliases/prod",
                        "{\"version\":1,\"reason\":\"x\",\"colour\":\"red\"}"),
                400,
                "colour");
        assertError(
                api.put(
                        "/api/v1/models/ctr/aliases/prod",
                        "{\"version\":\"one\",\"reason\":\"x\"}"),
                400,
                "version");
        assertError(
                api.put("/api/v1/models/ctr/aliases/prod", "{\"version\":1.5,\"reason\":\"x\"}"),
                400,
                "version");
        assertError(api.put("/api/v1/models/ctr/aliases/prod", "{\"version\":1}"), 400, "reason");
        assertError(api.put("/api/v1/models/ctr/aliases/prod", "{\"version\":1,"), 400, null);
        assertError(api.put("/api/v1/models/ctr/aliases/prod", "[1,2]"), 400, null);
        assertError(api.put("/api/v1/models/ctr/aliases/prod", ""), 400, null);
        assertError(
                api.put(
                        "/api/v1/models/ctr/aliases/prod",
                        "{\"version\":1,\"reason\":\"" + "x".repeat(2 << 20) + "\"}"),
                413,
                null);
        assertError(api.get("/api/v1/models/..%2F..%2Fetc/versions"), 400, "model");
        assertError(api.get("/api/v1/models/%2e%2e/versions"), 400, "model");
        assertError(api.get("/api/v1/models/ctr/versions/abc"), 400, "version");
        assertError(api.get("/api/v1/models/ctr/versions/-1"), 400, "version");
        assertError(api.get("/api/v1/models/ctr/versions?state=bogus"), 400, "state");
        assertError(api.get("/api/v1/models/ctr/versions?page_size=0"), 400, "page_size");
        assertError(api.get("/api/v1/models/ctr/versions?page_token=%25%25"), 400, "page_token");
        assertError(api.get("/api/v1/models/ctr/aliases/latest?after=1&wait=soon"), 400, "wait");
        assertError(api.get("/api/v1/models/ctr/versions/9"), 404, null);
        assertError(api.get("/api/v1/models/nope"), 404, null);
        assertError(api.get("/api/v1/nothing-here"), 404, null);
        assertError(
                api.send(
                        api.builder("/api/v1/models")
                                .method("PATCH", HttpRequest.BodyPublishers.noBody()),
                        true),
                405,
                null);
        TestHttp wrongToken = new TestHttp(registry.uri(), "guess");
        assertError(
                wrongToken.put(
                        "/api/v1/models/ctr/aliases/prod", "{\"version\":1,\"reason\":\"x\"}"),
                401,
                null);
        assertThat(api.get("/api/v1/models/ctr/aliases/prod").status()).isEqualTo(404);
    }

    private static void assertError(TestHttp.Answer a, int status, String field) {
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(a.json()).as("JSON error body").isNotNull();
        assertThat(a.json().get("error").asText()).isNotBlank();
        if (field != null) {
            assertThat(a.json().get("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void aBrokenManifestHidesItsVersionNotTheRegistry() {
        TestVersions.publish(store, "ctr", 1);
        store.putIfAbsent(
                "models/ctr/versions/2/manifest.json",
                "{not json".getBytes(StandardCharsets.UTF_8),
                "application/json");
        // Files without a manifest (an upload in progress) are not a version either.
        store.putIfAbsent(
                "models/ctr/versions/3/parameters.safetensors",
                new byte[] {1},
                "application/octet-stream");
        registry.registry().refresh();
        assertThat(versions(api.get("/api/v1/models/ctr/versions").json())).containsExactly(1L);
        assertThat(api.get("/api/v1/models/ctr/aliases/latest").json().get("version").asLong())
                .isEqualTo(1);
    }

    @Test
    void healthReadinessAndMetrics() {
        assertThat(api.get("/healthz").json().get("status").asText()).isEqualTo("UP");
        assertThat(api.get("/readyz").json().get("status").asText()).isEqualTo("READY");
        api.get("/api/v1/models");
        TestHttp.Answer metrics = api.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text())
                .contains(
                        "freshet_registry_http_requests_seconds_count{method=\"GET\",route=\"/api/v1/models\",status=\"200\"}");
        assertThat(metrics.text()).contains("freshet_registry_models");
    }

    @Test
    void allWorkersStartUpFrontSoTheThreadCountIsFlatFromTheFirstRequest() {
        long before = registryWorkers();
        assertThat(before).isGreaterThanOrEqualTo(RegistryConfig.defaults().threads());
        for (int i = 0; i < 100; i++) {
            api.get("/healthz");
        }
        // Workers of registries closed by earlier tests may still be exiting: never more, though.
        assertThat(registryWorkers()).isLessThanOrEqualTo(before);
    }

    private static long registryWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("freshet-registry-http-"))
                .count();
    }

    @Test
    void aRegistryWithoutATokenRefusesWrites() throws Exception {
        TestVersions.publish(store, "ctr", 1);
        try (RegistryServer open =
                RegistryServer.start(RegistryConfig.defaults().withPort(0), store)) {
            TestHttp anyone = new TestHttp(open.uri(), "anything");
            TestHttp.Answer a =
                    anyone.put(
                            "/api/v1/models/ctr/aliases/prod", "{\"version\":1,\"reason\":\"x\"}");
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.json().get("error").asText()).contains("no write token");
        }
    }
}
