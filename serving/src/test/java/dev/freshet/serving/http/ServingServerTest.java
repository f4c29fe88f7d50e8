package dev.freshet.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.sample.Sample;
import dev.freshet.serving.TestModels;
import dev.freshet.serving.model.FailureReason;
import dev.freshet.serving.model.LoadFailure;
import dev.freshet.serving.model.ModelLoader;
import dev.freshet.serving.model.ModelSlot;
import dev.freshet.serving.score.Scorer;
import dev.freshet.trainer.train.TrainingSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API over a real HTTP client: scoring, its errors, health, readiness, metrics. */
class ServingServerTest {

    static final int MAX_BODY = 64 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir static Path dir;
    static TrainingSession trainer;
    static final ModelSlot slot = new ModelSlot();
    static final AtomicReference<LoadFailure> failure = new AtomicReference<>();
    static ServingServer server;

    @BeforeAll
    static void start() throws Exception {
        trainer = TestModels.train(3, 4);
        TestModels.writeVersion(trainer, dir, 8);
        ServingMetrics metrics = new ServingMetrics(slot);
        server =
                ServingServer.start(
                        0,
                        2,
                        new ServingServer.Context(
                                new Scorer(slot, EventLimits.DEFAULTS, 100),
                                slot,
                                failure::get,
                                metrics,
                                MAX_BODY));
    }

    @AfterAll
    static void stop() {
        server.close();
        slot.close();
        trainer.close();
    }

    @Test
    void notReadyAndNoScoresBeforeAModelThenScores() throws Exception {
        byte[] impression = TestModels.impressions(1, 8).get(0);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        HttpResponse<String> early = post(impression);
        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(json(early).path("reason").asText()).isEqualTo("no_model");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        failure.set(
                new LoadFailure(
                        3,
                        FailureReason.CHECKSUM_MISMATCH,
                        "bad",
                        Instant.EPOCH,
                        1,
                        Instant.EPOCH));
        slot.swap(new ModelLoader(1, 1e-6).load(dir, TestModels.manifest(dir, 5)));

        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        List<byte[]> impressions = TestModels.impressions(3, 8);
        String array =
                "["
                        + String.join(
                                ",",
                                impressions.stream()
                                        .map(b -> new String(b, StandardCharsets.UTF_8))
                                        .toList())
                        + "]";
        HttpResponse<String> scored = post(array.getBytes(StandardCharsets.UTF_8));
        assertThat(scored.statusCode()).isEqualTo(200);
        assertThat(scored.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(scored);
        assertThat(body.path("version").asLong()).isEqualTo(5);
        assertThat(body.path("scores")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Sample s = TestModels.pipelineSample(TestModels.parse(impressions.get(i)), Map.of());
            float[] expected = trainer.predict(TestModels.batch(List.of(s)));
            JsonNode one = body.path("scores").get(i);
            assertThat(one.path("impression_id").asText()).isEqualTo(s.impressionId());
            for (int t = 0; t < TestModels.TASKS.size(); t++) {
                assertThat(one.path("scores").path(TestModels.TASKS.get(t)).asDouble())
                        .isCloseTo(expected[t], within(1e-6));
            }
        }

        JsonNode status = json(get("/status"));
        assertThat(status.path("served_version").asLong()).isEqualTo(5);
        assertThat(status.path("last_failure").path("version").asLong()).isEqualTo(3);
        assertThat(status.path("last_failure").path("reason").asText())
                .isEqualTo("checksum_mismatch");

        String metrics = get("/metrics").body();
        assertThat(metrics)
                .contains("freshet_serving_served_version 5.0")
                .contains("freshet_serving_impressions_scored_total 3.0")
                .contains("freshet_serving_requests_total{outcome=\"no_model\"} 1.0");
    }

    @Test
    void badInputIsA400WithAJsonError() throws Exception {
        assertError(post("{not json".getBytes(StandardCharsets.UTF_8)), 400, "unparseable", null);
        assertError(
                post(
                        ("{\"impression_id\": \"a\", \"request_id\": \"r\", \"event_time\": 1732262400123,"
                                        + " \"dense\": {\"price\": \"12\"}}")
                                .getBytes(StandardCharsets.UTF_8)),
                400,
                "wrong_type",
                "dense.price");
        assertError(
                post(
                        "{\"impression_id\": 1, \"request_id\": \"r\", \"event_time\": 1}"
                                .getBytes(StandardCharsets.UTF_8)),
                400,
                "wrong_type",
                "impression_id");
        assertError(post(new byte[MAX_BODY + 1]), 413, "oversized", null);
        assertError(get("/nowhere"), 404, "not_found", null);
        assertError(
                HTTP.send(
                        HttpRequest.newBuilder(uri("/score")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()),
                405,
                "method",
                null);
    }

    private static void assertError(HttpResponse<String> r, int status, String reason, String field)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.path("error").asText()).isNotBlank();
        assertThat(body.path("reason").asText()).isEqualTo(reason);
        if (field != null) {
            assertThat(body.path("field").asText()).isEqualTo(field);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + server.port() + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(byte[] body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri("/score"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
