package dev.freshet.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.flink.config.TaskWindows;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plain valid traffic, in event-time order: impressions {@code spacing} ms apart, some clicked
 * within the click window and some purchased (an alias of {@code pay}) within the pay window.
 */
final class ValidTraffic {

    static final TaskWindows WINDOWS =
            new TaskWindows(
                    TaskWindows.ordered(
                            "click", Duration.ofSeconds(2),
                            "save", Duration.ofSeconds(4),
                            "hide", Duration.ofSeconds(4),
                            "pay", Duration.ofSeconds(6)),
                    Map.of("purchase", "pay"));

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One valid record. */
    record Event(String topic, String id, byte[] value, long time) {}

    final List<Event> impressions = new ArrayList<>();
    final List<Event> engagements = new ArrayList<>();

    /** impression id -> expected labels. */
    final Map<String, Map<String, Integer>> expectedLabels = new LinkedHashMap<>();

    ValidTraffic(long seed, int n, long start, long spacing) {
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            String id = "v-" + i;
            long t = start + i * spacing;
            impressions.add(new Event("impressions", id, impression(id, "vr-" + i / 3, t), t));
            Map<String, Integer> labels = new LinkedHashMap<>();
            WINDOWS.tasks().forEach(task -> labels.put(task, 0));
            if (random.nextInt(10) < 3) {
                long e = t + 100 + random.nextInt(1500);
                engagements.add(new Event("engagements", id, engagement(id, "click", e), e));
                labels.put("click", 1);
            }
            if (random.nextInt(10) == 0) {
                long e = t + 1000 + random.nextInt(4000);
                engagements.add(new Event("engagements", id, engagement(id, "purchase", e), e));
                labels.put("pay", 1);
            }
            expectedLabels.put(id, labels);
        }
        engagements.sort((a, b) -> Long.compare(a.time(), b.time()));
    }

    static ObjectNode impressionNode(String id, String request, long time) {
        ObjectNode o = JSON.createObjectNode();
        o.put("impression_id", id);
        o.put("request_id", request);
        o.put("user_id", "u" + (id.hashCode() & 7));
        o.put("item_id", "i" + (id.hashCode() & 31));
        o.put("event_time", time);
        o.put("position", (id.hashCode() & 3) + 1);
        o.putObject("dense").put("price", 1.5 + (id.hashCode() & 15));
        o.putObject("sparse").putArray("tags").add("a").add("b");
        o.putObject("embeddings").putArray("user_seq").add(0.25).add(-0.5);
        return o;
    }

    static ObjectNode engagementNode(
            String engagementId, String impressionId, String type, long t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("engagement_id", engagementId);
        o.put("impression_id", impressionId);
        o.put("type", type);
        o.put("event_time", t);
        return o;
    }

    private static byte[] impression(String id, String request, long time) {
        return impressionNode(id, request, time).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] engagement(String impressionId, String type, long time) {
        return engagementNode(impressionId + ":" + type, impressionId, type, time)
                .toString()
                .getBytes(StandardCharsets.UTF_8);
    }
}
