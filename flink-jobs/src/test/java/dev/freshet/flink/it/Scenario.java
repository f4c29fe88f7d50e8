package dev.freshet.flink.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.flink.config.TaskWindows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates input with everything the join must handle (out of order, duplicates, engagements
 * before their impression, engagements outside their window, malformed records) together with the
 * exact output it must produce.
 *
 * <p>Everything generated is deterministic in outcome: disorder stays within the watermark's
 * out-of-orderness bound, and an engagement is either clearly inside its task's window or clearly
 * outside it but before the longest window closes, so no verdict depends on timing.
 */
final class Scenario {

    static final TaskWindows WINDOWS =
            new TaskWindows(
                    TaskWindows.ordered(
                            "click", java.time.Duration.ofSeconds(2),
                            "save", java.time.Duration.ofSeconds(4),
                            "hide", java.time.Duration.ofSeconds(4),
                            "pay", java.time.Duration.ofSeconds(6)),
                    Map.of("purchase", "pay"));
    static final int MAX_RECORD_BYTES = 4096;
    private static final long MARGIN = 300;
    private static final long MAX_DISORDER = 400; // below the 1 s out-of-orderness bound
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One Kafka record to write, in order, to a topic. */
    record Event(String topic, String key, byte[] value, long time) {}

    final List<Event> impressions = new ArrayList<>();
    final List<Event> engagements = new ArrayList<>();

    /** impression id -> expected labels. */
    final Map<String, Map<String, Integer>> expectedLabels = new LinkedHashMap<>();

    /** impression id -> request id, to check the sample carries it. */
    final Map<String, String> requestIds = new LinkedHashMap<>();

    /** Original bytes of every record that must reach the dead-letter topic, by reason. */
    final Map<String, List<byte[]>> expectedDeadLetters = new LinkedHashMap<>();

    /** Impression ids whose late engagements must reach late-engagements. */
    final List<String> lateEngagementIds = new ArrayList<>();

    private final Random random;
    private int engagementSeq;

    Scenario(long seed) {
        this.random = new Random(seed);
    }

    /**
     * {@code n} impressions from {@code start}, {@code spacing} ms apart, with their engagements.
     */
    Scenario traffic(String prefix, int n, long start, long spacing) {
        List<Event> imps = new ArrayList<>();
        List<Event> engs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            long t = start + i * spacing;
            String request = prefix + "-r" + (i / 3);
            byte[] imp = impressionJson(id, request, t);
            imps.add(new Event("impressions", id, imp, t));
            if (random.nextInt(10) == 0) {
                imps.add(new Event("impressions", id, imp, t + random.nextInt((int) MAX_DISORDER)));
            }
            Map<String, Integer> labels = new LinkedHashMap<>();
            for (String task : WINDOWS.tasks()) {
                labels.put(task, 0);
            }
            for (String task : WINDOWS.tasks()) {
                int roll = random.nextInt(100);
                long window = WINDOWS.windowMillis(task);
                if (roll < 25) {
                    long delay = random.nextLong(window - MARGIN);
                    engs.addAll(engagement(id, typeFor(task), t + delay, random.nextInt(8) == 0));
                    labels.put(task, 1);
                } else if (roll < 35 && window + MARGIN < WINDOWS.maxWindowMillis() - MARGIN) {
                    // Outside this task's window but before the impression's sample is emitted.
                    long delay =
                            window
                                    + MARGIN
                                    + random.nextLong(
                                            WINDOWS.maxWindowMillis() - window - 2 * MARGIN);
                    engs.addAll(engagement(id, typeFor(task), t + delay, false));
                } else if (roll < 40) {
                    // Logged before the impression (clock skew): never counts.
                    engs.addAll(engagement(id, typeFor(task), t - 1 - random.nextInt(200), false));
                }
            }
            expectedLabels.put(id, labels);
            requestIds.put(id, request);
        }
        impressions.addAll(jitter(imps));
        engagements.addAll(jitter(engs));
        return this;
    }

    /** Adds malformed records of every kind to both topics. */
    Scenario malformed(long time) {
        bad("impressions", "unparseable", "{oops".getBytes(StandardCharsets.UTF_8));
        bad("impressions", "unparseable", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        bad(
                "impressions",
                "missing_field",
                ("{\"impression_id\":\"m1\",\"event_time\":" + time + "}")
                        .getBytes(StandardCharsets.UTF_8));
        bad(
                "impressions",
                "wrong_type",
                ("{\"impression_id\":\"m2\",\"request_id\":\"r\",\"event_time\":\"soon\"}")
                        .getBytes(StandardCharsets.UTF_8));
        bad(
                "impressions",
                "non_finite",
                ("{\"impression_id\":\"m3\",\"request_id\":\"r\",\"event_time\":"
                                + time
                                + ",\"dense\":{\"price\":NaN}}")
                        .getBytes(StandardCharsets.UTF_8));
        bad(
                "impressions",
                "absurd_timestamp",
                ("{\"impression_id\":\"m4\",\"request_id\":\"r\",\"event_time\":1732262400}")
                        .getBytes(StandardCharsets.UTF_8));
        bad(
                "impressions",
                "oversized",
                ("{\"impression_id\":\"m5\",\"request_id\":\"r\",\"event_time\":"
                                + time
                                + ",\"sparse\":{\"blob\":\""
                                + "x".repeat(MAX_RECORD_BYTES)
                                + "\"}}")
                        .getBytes(StandardCharsets.UTF_8));
        bad(
                "engagements",
                "missing_field",
                ("{\"engagement_id\":\"me1\",\"event_time\":" + time + "}")
                        .getBytes(StandardCharsets.UTF_8));
        bad(
                "engagements",
                "wrong_type",
                ("{\"engagement_id\":\"me2\",\"impression_id\":\"x\",\"type\":7,\"event_time\":"
                                + time
                                + "}")
                        .getBytes(StandardCharsets.UTF_8));
        bad("engagements", "unparseable", new byte[] {(byte) 0xff, 0x00, 0x12});
        return this;
    }

    /** Re-sends impressions of an earlier scenario long after their samples were emitted. */
    Scenario resend(Scenario earlier, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            Event original =
                    earlier.impressions.stream()
                            .filter(e -> id.equals(e.key()))
                            .findFirst()
                            .orElseThrow();
            impressions.add(original);
            expectedDeadLetters
                    .computeIfAbsent("late", k -> new ArrayList<>())
                    .add(original.value());
        }
        return this;
    }

    /** Engagements for impressions whose samples were already emitted: late, never a label. */
    Scenario lateEngagements(Scenario earlier, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            long t =
                    earlier.impressions.stream()
                            .filter(e -> id.equals(e.key()))
                            .findFirst()
                            .orElseThrow()
                            .time();
            engagements.addAll(engagement(id, "click", t + 100, false));
            lateEngagementIds.add(id);
        }
        return this;
    }

    /** Impressions so far behind the watermark they must be dead-lettered as late. */
    Scenario lateImpressions(String prefix, int n, long time) {
        for (int i = 0; i < n; i++) {
            byte[] imp = impressionJson(prefix + "-" + i, prefix + "-r", time + i);
            impressions.add(new Event("impressions", prefix + "-" + i, imp, time + i));
            expectedDeadLetters.computeIfAbsent("late", k -> new ArrayList<>()).add(imp);
        }
        return this;
    }

    int deadLetterCount() {
        return expectedDeadLetters.values().stream().mapToInt(List::size).sum();
    }

    private void bad(String topic, String reason, byte[] bytes) {
        List<Event> target = topic.equals("impressions") ? impressions : engagements;
        target.add(
                random.nextInt(target.size() + 1), new Event(topic, null, bytes, Long.MIN_VALUE));
        expectedDeadLetters.computeIfAbsent(reason, k -> new ArrayList<>()).add(bytes);
    }

    private List<Event> engagement(String impressionId, String type, long time, boolean duplicate) {
        String id = "e" + (engagementSeq++);
        ObjectNode o = JSON.createObjectNode();
        o.put("engagement_id", id);
        o.put("impression_id", impressionId);
        o.put("type", type);
        o.put("event_time", time);
        Event e =
                new Event(
                        "engagements",
                        impressionId,
                        o.toString().getBytes(StandardCharsets.UTF_8),
                        time);
        return duplicate ? List.of(e, e) : List.of(e);
    }

    private String typeFor(String task) {
        return task.equals("pay") && random.nextBoolean() ? "purchase" : task;
    }

    private byte[] impressionJson(String id, String request, long time) {
        ObjectNode o = JSON.createObjectNode();
        o.put("impression_id", id);
        o.put("request_id", request);
        o.put("user_id", "u" + (id.hashCode() & 7));
        o.put("item_id", "i" + (id.hashCode() & 31));
        o.put("event_time", time);
        o.put("position", (id.hashCode() & 3) + 1);
        ObjectNode dense = o.putObject("dense");
        dense.put("price", 1.5 + (id.hashCode() & 15));
        dense.putNull("distance_km");
        ObjectNode sparse = o.putObject("sparse");
        sparse.put("category", "c" + (id.hashCode() & 3));
        sparse.putArray("tags").add("a").add("b");
        o.putObject("embeddings").putArray("user_seq").add(0.25).add(-0.5);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Shuffles events by a random offset below the out-of-orderness bound. */
    private List<Event> jitter(List<Event> events) {
        List<long[]> keys = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            keys.add(new long[] {events.get(i).time() + random.nextInt((int) MAX_DISORDER), i});
        }
        keys.sort(Comparator.comparingLong((long[] k) -> k[0]).thenComparingLong(k -> k[1]));
        List<Event> out = new ArrayList<>();
        for (long[] k : keys) {
            out.add(events.get((int) k[1]));
        }
        return Collections.unmodifiableList(out);
    }
}
