package dev.freshet.reliability.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the registry, as a client would, which versions exist, four times a second through every
 * fault, and has each version it names audited against the bucket: a version without a whole
 * manifest must never be visible, even for one answer.
 */
final class RegistryWatch extends Watcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI versions;
    private final VersionAudit audit;
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

    RegistryWatch(URI registry, String model, VersionAudit audit) {
        super("registry-watch", Duration.ofMillis(250));
        this.versions = registry.resolve("/api/v1/models/" + model + "/versions?page_size=1000");
        this.audit = audit;
    }

    @Override
    void poll() throws InterruptedException {
        audit.retryPending("registry");
        HttpResponse<byte[]> r;
        try {
            r =
                    http.send(
                            HttpRequest.newBuilder(versions).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            count("unreachable");
            return;
        }
        count(String.valueOf(r.statusCode()));
        if (r.statusCode() != 200) {
            return;
        }
        try {
            for (JsonNode v : JSON.readTree(r.body()).path("versions")) {
                long version = v.path("version").asLong();
                if (seen.add(version)) {
                    audit.sighted(version, "registry");
                }
            }
        } catch (IOException e) {
            count("unparseable");
        }
    }

    Set<Long> seen() {
        return Set.copyOf(seen);
    }

    /** Answers by status code ("unreachable" while the registry is down). */
    Map<String, Long> answers() {
        Map<String, Long> out = new TreeMap<>();
        answers.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void count(String key) {
        answers.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }
}
