package dev.freshet.trainer.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private final HttpClient client = newClient();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final TrainerMetrics metrics = new TrainerMetrics();
    private MetricsServer server;

    @BeforeEach
    void start() throws IOException {
        server = MetricsServer.start(0, metrics, ready::get);
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void metricsServesThePrometheusScrape() throws Exception {
        metrics.recordStep(42, true, 0.5, Map.of("click", 0.5f), System.currentTimeMillis());

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(Scrapes.value(response.body(), "freshet_trainer_samples_total")).hasValue(42.0);
        assertThat(Scrapes.value(response.body(), "freshet_trainer_task_loss{task=\"click\"}"))
                .hasValue(0.5);
        assertThat(Scrapes.value(response.body(), "jvm_threads_live_threads")).isPresent();
    }

    @Test
    void healthzIsUp() throws Exception {
        HttpResponse<String> response = get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void readyzFollowsTheReadinessSupplier() throws Exception {
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(notReady.body()).isEqualTo("{\"status\":\"NOT_READY\"}");

        ready.set(true);
        HttpResponse<String> isReady = get("/readyz");
        assertThat(isReady.statusCode()).isEqualTo(200);
        assertThat(isReady.body()).isEqualTo("{\"status\":\"READY\"}");
    }

    @Test
    void unknownPathIsA404JsonError() throws Exception {
        for (String path : new String[] {"/", "/nope", "/metrics/extra", "/healthz/"}) {
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body()).isEqualTo("{\"error\":\"not found\"}");
        }
    }

    @Test
    void otherMethodsAreA405JsonError() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<String> response = send(method, "/metrics");

            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body()).isEqualTo("{\"error\":\"method not allowed\"}");
        }
    }

    @Test
    void aFailingRouteIsA500JsonErrorAndTheServerKeepsServing() throws Exception {
        // The same routing, mounted on a server of the test's own.
        HttpServer own =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        own.createContext(
                "/",
                MetricsServer.routing(
                        metrics,
                        () -> {
                            throw new IllegalStateException("readiness check broke");
                        }));
        own.start();
        try {
            int port = own.getAddress().getPort();
            HttpResponse<String> failed =
                    client.send(request("GET", port, "/readyz"), BodyHandlers.ofString());
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("{\"error\":\"internal error\"}");
            HttpResponse<String> health =
                    client.send(request("GET", port, "/healthz"), BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            own.stop(0);
        }
    }

    @Test
    void closeReleasesThePort() throws Exception {
        int port = server.port();
        assertThat(port).isPositive();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        server.close();

        HttpClient fresh = newClient();
        assertThatThrownBy(
                        () -> fresh.send(request("GET", port, "/healthz"), BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    private HttpResponse<String> send(String method, String path)
            throws IOException, InterruptedException {
        return client.send(request(method, server.port(), path), BodyHandlers.ofString());
    }

    private static HttpRequest request(String method, int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
