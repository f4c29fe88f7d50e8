package dev.freshet.trainer.publish;

import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the model registry about a published version: {@code POST
 * <registry>/api/v1/models/<model>/versions} with the manifest as the body and the write token as a
 * bearer token. Best effort: the object store is the truth and the registry re-reads it, so a
 * failed notification only delays what the registry shows.
 */
public final class RegistryNotifier implements Consumer<Manifest> {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryNotifier.class);

    private final URI registry;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param token the registry's write token (from the environment or a file, never from code), or
     *     null when the registry accepts unauthenticated writes
     */
    public RegistryNotifier(URI registry, String token) {
        this.registry = registry;
        this.token = token;
    }

    @Override
    public void accept(Manifest manifest) {
        URI uri = registry.resolve("/api/v1/models/" + manifest.model() + "/versions");
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                        ManifestJson.toBytes(manifest)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response =
                    http.send(
                            request.build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                LOG.warn(
                        "Registry {} answered {} for version {}: {}",
                        uri,
                        response.statusCode(),
                        manifest.version(),
                        response.body());
            } else {
                LOG.info("Registry {} told of version {}", registry, manifest.version());
            }
        } catch (java.io.IOException e) {
            LOG.warn(
                    "Registry {} unreachable for version {} (it finds the version in the"
                            + " bucket on its next refresh): {}",
                    uri,
                    manifest.version(),
                    // A refused connection has no message; its type says what happened.
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
