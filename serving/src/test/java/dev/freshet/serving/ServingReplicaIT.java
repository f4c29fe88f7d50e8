package dev.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import dev.freshet.trainer.train.TrainingSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A whole replica, as {@code freshet serve} runs it, against the real registry. */
@ExtendWith(S3ServerExtension.class)
class ServingReplicaIT {

    @TempDir Path tmp;

    @Test
    void becomesReadyAndScoresOnceTheFirstVersionIsPublished(S3Server s3) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (RegistryFixture registry = new RegistryFixture(s3, "replica");
                ServingReplica replica =
                        ServingReplica.start(
                                ServingConfig.of(
                                        registry.uri(),
                                        TestModels.MODEL,
                                        "latest",
                                        0,
                                        tmp.resolve("work")))) {
            URI base = URI.create("http://localhost:" + replica.port());
            assertThat(status(http, base.resolve("/readyz"))).isEqualTo(503);

            Path dir = tmp.resolve("v1");
            try (TrainingSession trainer = TestModels.train(2, 9)) {
                TestModels.writeVersion(trainer, dir, 4);
            }
            registry.publish(dir, TestModels.manifest(dir, 0));
            Waits.until(
                    Duration.ofSeconds(60),
                    () -> status(http, base.resolve("/readyz")) == 200,
                    () -> "ready; last failure " + replica.watcher().lastFailure());

            HttpResponse<String> scored =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/score"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofByteArray(
                                                    TestModels.impressions(1, 1).get(0)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(scored.statusCode()).isEqualTo(200);
            assertThat(scored.body()).startsWith("{\"version\":1,\"scores\":[{\"impression_id\":");
        }
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(
                            HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
