package dev.freshet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates impressions and engagements with a seeded {@link Random}, and the labels a correct join
 * must produce for them.
 *
 * <ul>
 *   <li>Requests of 10 impressions; {@value #IMPRESSIONS_PER_EVENT_SECOND} impressions per second
 *       of event time, ending shortly before now (so the exactly-once sink's record timestamps are
 *       current and nothing is in the absurd future).
 *   <li>Per impression and task, an engagement with probability {@link BenchTasks#RATES}; its delay
 *       is uniform in [-5%, 150%] of the task's window, so some fall before the impression or after
 *       the window (label 0) and some pay engagements arrive after the sample was emitted.
 *   <li>Each topic is in arrival order: event time plus up to {@link
 *       BenchTasks#ARRIVAL_JITTER_MILLIS} of jitter (less than the watermarks' out-of-orderness).
 *   <li>No duplicate impression or engagement ids: our job deduplicates and the SQL version does
 *       not, so duplicates would make the outputs differ.
 * </ul>
 */
final class EventGenerator {

    static final int IMPRESSIONS_PER_EVENT_SECOND = 2_000;
    static final int IMPRESSIONS_PER_REQUEST = 10;
    static final int EMBEDDING_DIM = 16;
    static final String FLUSH_PREFIX = "flush-";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String[] CATEGORIES = words("cat", 20);
    private static final String[] CITIES = words("city", 30);
    private static final String[] TAGS = words("tag", 50);

    /** One Kafka record to produce; {@code partition} is null for key-hashed records. */
    record Event(String topic, Integer partition, String key, byte[] value, long timestamp) {}

    /**
     * @param impressions impressions in arrival order
     * @param engagements engagements in arrival order
     * @param flush one impression and one engagement per partition, far ahead in event time, sent
     *     last so every partition's watermark passes every real window
     * @param labels impression id -> label bits (bit k set = task k positive)
     */
    record Generated(
            List<Event> impressions,
            List<Event> engagements,
            List<Event> flush,
            Map<String, Integer> labels) {

        int eventCount() {
            return impressions.size() + engagements.size() + flush.size();
        }

        long positives(int task) {
            return labels.values().stream().filter(b -> (b & (1 << task)) != 0).count();
        }
    }

    private final Random random;

    EventGenerator(long seed) {
        this.random = new Random(seed);
    }

    Generated generate(int impressionCount, int partitions, long now) {
        long spanMillis = 1000L * impressionCount / IMPRESSIONS_PER_EVENT_SECOND;
        // The latest engagement is 150% of the longest window after its impression; keep it in the
        // past.
        long start = now - spanMillis - 2 * BenchTasks.MAX_WINDOW_MILLIS;
        List<Event> impressions = new ArrayList<>(impressionCount);
        List<Event> engagements = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>(impressionCount * 2);
        long maxEventTime = 0;
        int engagementSeq = 0;
        for (int i = 0; i < impressionCount; i++) {
            int request = i / IMPRESSIONS_PER_REQUEST;
            int position = i % IMPRESSIONS_PER_REQUEST;
            String requestId = "r" + request;
            String impressionId = requestId + ":" + position;
            long eventTime =
                    start
                            + (long) request
                                    * 1000
                                    * IMPRESSIONS_PER_REQUEST
                                    / IMPRESSIONS_PER_EVENT_SECOND
                            + position;
            maxEventTime = Math.max(maxEventTime, eventTime);
            impressions.add(
                    new Event(
                            "impressions",
                            null,
                            impressionId,
                            impression(impressionId, requestId, eventTime, position),
                            arrival(eventTime)));
            int bits = 0;
            for (int t = 0; t < BenchTasks.TASKS.length; t++) {
                if (random.nextDouble() >= BenchTasks.RATES[t]) {
                    continue;
                }
                long window = BenchTasks.WINDOW_MILLIS[t];
                long delay =
                        -window / 20
                                + (long) (random.nextDouble() * (window * 3 / 2 + window / 20));
                if (delay >= 0 && delay <= window) {
                    bits |= 1 << t;
                }
                long engagementTime = eventTime + delay;
                String engagementId = "e" + engagementSeq++;
                engagements.add(
                        new Event(
                                "engagements",
                                null,
                                impressionId,
                                engagement(
                                        engagementId,
                                        impressionId,
                                        BenchTasks.TASKS[t],
                                        engagementTime),
                                arrival(engagementTime)));
            }
            labels.put(impressionId, bits);
        }
        Comparator<Event> byArrival = Comparator.comparingLong(Event::timestamp);
        impressions.sort(byArrival);
        engagements.sort(byArrival);
        return new Generated(impressions, engagements, flush(partitions, maxEventTime), labels);
    }

    private List<Event> flush(int partitions, long maxEventTime) {
        long t = maxEventTime + 3 * BenchTasks.MAX_WINDOW_MILLIS;
        List<Event> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            String id = FLUSH_PREFIX + p;
            out.add(new Event("impressions", p, id, impression(id, id, t, 0), t));
            out.add(new Event("engagements", p, id, engagement(id, id, "click", t), t));
        }
        return out;
    }

    private long arrival(long eventTime) {
        return eventTime + (long) (random.nextDouble() * BenchTasks.ARRIVAL_JITTER_MILLIS);
    }

    private byte[] impression(String impressionId, String requestId, long eventTime, int position) {
        ObjectNode o = JSON.createObjectNode();
        o.put("impression_id", impressionId);
        o.put("request_id", requestId);
        o.put("user_id", "u" + random.nextInt(50_000));
        o.put("item_id", "i" + random.nextInt(100_000));
        o.put("event_time", eventTime);
        o.put("position", position);
        ObjectNode dense = o.putObject("dense");
        dense.put("price", Math.round(random.nextDouble() * 10_000) / 100.0);
        if (random.nextDouble() < 0.2) {
            dense.putNull("distance_km");
        } else {
            dense.put("distance_km", Math.round(random.nextDouble() * 20_000) / 1000.0);
        }
        dense.put("item_ctr_7d", Math.round(random.nextDouble() * 100_000) / 1_000_000.0);
        ObjectNode sparse = o.putObject("sparse");
        sparse.put("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
        sparse.put("city", CITIES[random.nextInt(CITIES.length)]);
        ArrayNode tags = sparse.putArray("tags");
        int tagCount = 1 + random.nextInt(3);
        for (int k = 0; k < tagCount; k++) {
            tags.add(TAGS[random.nextInt(TAGS.length)]);
        }
        ArrayNode userSeq = o.putObject("embeddings").putArray("user_seq");
        for (int k = 0; k < EMBEDDING_DIM; k++) {
            userSeq.add(Math.round((random.nextDouble() * 2 - 1) * 10_000) / 10_000.0);
        }
        return bytes(o);
    }

    private static byte[] engagement(
            String engagementId, String impressionId, String type, long eventTime) {
        ObjectNode o = JSON.createObjectNode();
        o.put("engagement_id", engagementId);
        o.put("impression_id", impressionId);
        o.put("type", type);
        o.put("event_time", eventTime);
        return bytes(o);
    }

    private static byte[] bytes(ObjectNode o) {
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String[] words(String prefix, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = prefix + i;
        }
        return out;
    }
}
