package dev.freshet.cli.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.flink.config.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decides where one JSONL line goes. A line {@code {"topic": "impressions"|"engagements", "value":
 * {...}}} becomes a record on that topic whose value is the compact JSON of {@code value}, keyed by
 * {@code value.impression_id} when that is a string. Every other line goes to {@code impressions}
 * byte for byte, without a key: that is how malformed input is fed to the pipeline on purpose.
 */
public final class JsonlRouter {

    /**
     * NaN and Infinity pass through as bare literals and duplicate keys make a line malformed, so
     * what the pipeline sees is what the file says rather than a cleaned-up version of it.
     */
    private static final JsonMapper JSON =
            JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private final String impressions;
    private final Set<String> topics;

    public JsonlRouter(Topics names) {
        this.impressions = names.impressions();
        this.topics = Set.of(names.impressions(), names.engagements());
    }

    public ReplayRecord route(byte[] line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (IOException e) {
            return raw(line);
        }
        if (root == null || !root.isObject() || !root.has("value")) {
            return raw(line);
        }
        JsonNode topic = root.get("topic");
        if (topic == null || !topic.isTextual() || !topics.contains(topic.textValue())) {
            return raw(line);
        }
        JsonNode value = root.get("value");
        JsonNode id = value.get("impression_id");
        byte[] key = id != null && id.isTextual() ? utf8(id.textValue()) : null;
        return new ReplayRecord(topic.textValue(), key, compact(value), false);
    }

    private ReplayRecord raw(byte[] line) {
        return new ReplayRecord(impressions, null, line, true);
    }

    private static byte[] compact(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a parsed JSON tree", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
