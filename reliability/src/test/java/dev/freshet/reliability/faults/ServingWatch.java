package dev.freshet.reliability.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A client of the serving replica through every fault: scores one real impression twice a second
 * and has every version that answers audited against the bucket. Once it has served, the replica
 * must keep answering whatever else is down: it holds its model in memory.
 */
final class ServingWatch extends Watcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI score;
    private final Supplier<byte[]> impression;
    private final VersionAudit audit;
    private final List<Long> served = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final List<String> failuresAfterFirst = new CopyOnWriteArrayList<>();

    ServingWatch(URI serving, Supplier<byte[]> impression, VersionAudit audit) {
        super("serving-watch", Duration.ofMillis(500));
        this.score = serving.resolve("/score");
        this.impression = impression;
        this.audit = audit;
    }

    @Override
    void poll() throws InterruptedException {
        audit.retryPending("serving");
        byte[] body = impression.get();
        if (body == null) {
            return;
        }
        String outcome;
        try {
            HttpResponse<byte[]> r =
                    http.send(
                            HttpRequest.newBuilder(score)
                                    .timeout(Duration.ofSeconds(5))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            outcome = String.valueOf(r.statusCode());
            if (r.statusCode() == 200) {
                long version = JSON.readTree(r.body()).path("version").asLong();
                JsonNode scores = JSON.readTree(r.body()).path("scores");
                if (!scores.isArray() || scores.isEmpty()) {
                    outcome = "200 without scores";
                }
                if (served.isEmpty() || served.get(served.size() - 1) != version) {
                    served.add(version);
                    audit.sighted(version, "serving");
                }
            }
        } catch (IOException e) {
            outcome = "unreachable: " + e.getClass().getSimpleName();
        }
        answers.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        if (!served.isEmpty() && !outcome.equals("200")) {
            failuresAfterFirst.add(outcome);
        }
    }

    /** The versions that answered, in order of first answer. */
    List<Long> served() {
        return new ArrayList<>(served);
    }

    Map<String, Long> answers() {
        Map<String, Long> out = new TreeMap<>();
        answers.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Answers other than 200 once the replica had served a first version. */
    List<String> failuresAfterFirst() {
        return List.copyOf(failuresAfterFirst);
    }
}
