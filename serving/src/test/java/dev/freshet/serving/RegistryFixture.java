package dev.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.registry.RegistryConfig;
import dev.freshet.registry.RegistryServer;
import dev.freshet.store.ObjectStore;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.S3Server;
import dev.freshet.trainer.publish.Publisher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real registry over a real S3Proxy bucket, and the trainer's publisher writing to it. */
public final class RegistryFixture implements AutoCloseable {

    public static final String TOKEN = "secret";

    public final ObjectStore store;
    public final Publisher publisher;
    private final HttpClient http = HttpClient.newHttpClient();
    private RegistryServer registry;

    public RegistryFixture(S3Server s3, String bucket) throws IOException {
        s3.createBucket(bucket);
        this.store =
                new S3ObjectStore(
                        new S3Settings(
                                URI.create(s3.endpoint()),
                                bucket,
                                s3.region(),
                                s3.accessKey(),
                                s3.secretKey()),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(10));
        this.publisher = new Publisher(store, TestModels.MODEL);
        start(0);
    }

    public void start(int port) throws IOException {
        registry =
                RegistryServer.start(
                        RegistryConfig.defaults()
                                .withPort(port)
                                .withToken(TOKEN)
                                .withRefresh(Duration.ofMillis(200)),
                        store);
    }

    public void stop() {
        registry.close();
    }

    public URI uri() {
        return registry.uri();
    }

    public int port() {
        return registry.port();
    }

    /** Publishes {@code dir} under {@code manifest} as the trainer does; returns its version. */
    public Manifest publish(Path dir, Manifest manifest) throws IOException {
        return publisher.publish(dir, TestModels.files(dir), manifest);
    }

    /** Tells the registry of {@code m} (as the trainer's notifier does), so it is indexed now. */
    public void register(Manifest m) throws Exception {
        call("POST", "/api/v1/models/" + m.model() + "/versions", ManifestJson.toBytes(m), 201);
    }

    /** Points {@code alias} at {@code version}, as an operator does. */
    public void promote(String alias, long version) throws Exception {
        String body = "{\"version\": " + version + ", \"reason\": \"test\", \"actor\": \"it\"}";
        call(
                "PUT",
                "/api/v1/models/" + TestModels.MODEL + "/aliases/" + alias,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                200);
    }

    private void call(String method, String path, byte[] body, int expected) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(uri().resolve(path))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
    }

    @Override
    public void close() {
        registry.close();
        store.close();
    }
}
