package dev.freshet.features.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the raw bytes of an {@code impressions} or {@code engagements} record into an event, or
 * into a {@link ParseResult.Rejected} that names what is wrong. It never throws on input.
 *
 * <p>Thread-safe: Jackson's mapper is, and nothing else is shared.
 */
public final class EventParser {

    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    // Parse NaN/Infinity literals so they are reported as non_finite, not
                    // unparseable.
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    // One record is one JSON value: "{...} junk" or two glued objects are
                    // unparseable.
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private final EventLimits limits;
    private final Clock clock;

    public EventParser(EventLimits limits) {
        this(limits, Clock.systemUTC());
    }

    public EventParser(EventLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    public ParseResult<Impression> parseImpression(byte[] bytes) {
        try {
            JsonNode root = readObject(bytes);
            String impressionId = requiredId(root, "impression_id");
            String requestId = requiredId(root, "request_id");
            String userId = optionalId(root, "user_id");
            String itemId = optionalId(root, "item_id");
            long eventTime = eventTime(root);
            Integer position = optionalInt(root, "position");
            RawFeatures features =
                    new RawFeatures(
                            dense(root.get("dense")),
                            sparse(root.get("sparse")),
                            embeddings(root.get("embeddings")));
            return ParseResult.ok(
                    new Impression(
                            impressionId,
                            requestId,
                            userId,
                            itemId,
                            eventTime,
                            position,
                            features));
        } catch (Invalid e) {
            return ParseResult.rejected(e.reason, e.getMessage());
        }
    }

    public ParseResult<Engagement> parseEngagement(byte[] bytes) {
        try {
            JsonNode root = readObject(bytes);
            String engagementId = requiredId(root, "engagement_id");
            String impressionId = requiredId(root, "impression_id");
            String type = requiredId(root, "type");
            long eventTime = eventTime(root);
            return ParseResult.ok(new Engagement(engagementId, impressionId, type, eventTime));
        } catch (Invalid e) {
            return ParseResult.rejected(e.reason, e.getMessage());
        }
    }

    private JsonNode readObject(byte[] bytes) throws Invalid {
        if (bytes == null) {
            throw new Invalid(RejectReason.UNPARSEABLE, "record has no value");
        }
        if (bytes.length > limits.maxRecordBytes()) {
            throw new Invalid(
                    RejectReason.OVERSIZED,
                    "record is " + bytes.length + " bytes; limit " + limits.maxRecordBytes());
        }
        requireUtf8(bytes);
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new Invalid(RejectReason.UNPARSEABLE, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Invalid(RejectReason.UNPARSEABLE, "not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Invalid(
                    RejectReason.UNPARSEABLE,
                    "expected a JSON object, got "
                            + (root == null ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    /**
     * Jackson's byte parser checks only the shape of multi-byte sequences, so overlong encodings
     * ({@code C0 AF} for "/") and encoded surrogates ({@code ED A0 80}) inside strings would pass
     * as valid events. The JDK's decoder rejects both (RFC 3629), so records must be strict UTF-8.
     */
    private static void requireUtf8(byte[] bytes) throws Invalid {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new Invalid(RejectReason.UNPARSEABLE, "not valid UTF-8: " + e.getMessage());
        }
    }

    private String requiredId(JsonNode root, String field) throws Invalid {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new Invalid(RejectReason.MISSING_FIELD, field + " is required");
        }
        return id(node, field);
    }

    private String optionalId(JsonNode root, String field) throws Invalid {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : id(node, field);
    }

    private String id(JsonNode node, String field) throws Invalid {
        if (!node.isTextual()) {
            throw new Invalid(
                    RejectReason.WRONG_TYPE,
                    field + " must be a string, got " + node.getNodeType());
        }
        String value = node.textValue();
        if (value.isEmpty()) {
            throw new Invalid(RejectReason.MISSING_FIELD, field + " is empty");
        }
        if (value.length() > limits.maxIdLength()) {
            throw new Invalid(
                    RejectReason.OVERSIZED,
                    field + " is " + value.length() + " chars; limit " + limits.maxIdLength());
        }
        return value;
    }

    private long eventTime(JsonNode root) throws Invalid {
        JsonNode node = root.get("event_time");
        if (node == null || node.isNull()) {
            throw new Invalid(RejectReason.MISSING_FIELD, "event_time is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
                throw new Invalid(RejectReason.NON_FINITE, "event_time is not finite");
            }
            throw new Invalid(
                    RejectReason.WRONG_TYPE,
                    "event_time must be integer epoch milliseconds, got " + describe(node));
        }
        long millis = node.longValue();
        long min = limits.minEventTime().toEpochMilli();
        long max = clock.millis() + limits.maxFutureSkew().toMillis();
        if (millis < min || millis > max) {
            throw new Invalid(
                    RejectReason.ABSURD_TIMESTAMP,
                    "event_time "
                            + millis
                            + " outside ["
                            + min
                            + ", now + "
                            + limits.maxFutureSkew()
                            + "]");
        }
        return millis;
    }

    private static Integer optionalInt(JsonNode root, String field) throws Invalid {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new Invalid(
                    RejectReason.WRONG_TYPE, field + " must be an integer, got " + describe(node));
        }
        return node.intValue();
    }

    private static Map<String, Double> dense(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        requireObject(node, "dense");
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String name = "dense." + e.getKey();
            if (v.isNull()) {
                out.put(e.getKey(), null);
            } else if (v.isNumber()) {
                out.put(e.getKey(), finite(v.doubleValue(), name));
            } else {
                throw new Invalid(
                        RejectReason.WRONG_TYPE,
                        name + " must be a number or null, got " + describe(v));
            }
        }
        return out;
    }

    private static Map<String, List<String>> sparse(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        requireObject(node, "sparse");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String name = "sparse." + e.getKey();
            if (v.isNull()) {
                out.put(e.getKey(), List.of());
            } else if (v.isTextual()) {
                out.put(e.getKey(), List.of(v.textValue()));
            } else if (v.isArray()) {
                List<String> values = new ArrayList<>(v.size());
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw new Invalid(
                                RejectReason.WRONG_TYPE,
                                name + " must hold strings, got " + describe(item));
                    }
                    values.add(item.textValue());
                }
                out.put(e.getKey(), List.copyOf(values));
            } else {
                throw new Invalid(
                        RejectReason.WRONG_TYPE,
                        name + " must be a string or a list of strings, got " + describe(v));
            }
        }
        return out;
    }

    private static Map<String, float[]> embeddings(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        requireObject(node, "embeddings");
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String name = "embeddings." + e.getKey();
            if (!v.isArray()) {
                throw new Invalid(
                        RejectReason.WRONG_TYPE,
                        name + " must be a list of numbers, got " + describe(v));
            }
            float[] vector = new float[v.size()];
            for (int i = 0; i < vector.length; i++) {
                JsonNode item = v.get(i);
                if (!item.isNumber()) {
                    throw new Invalid(
                            RejectReason.WRONG_TYPE,
                            name + "[" + i + "] must be a number, got " + describe(item));
                }
                float f = (float) item.doubleValue();
                if (!Float.isFinite(f)) {
                    throw new Invalid(
                            RejectReason.NON_FINITE, name + "[" + i + "] is not a finite float");
                }
                vector[i] = f;
            }
            out.put(e.getKey(), vector);
        }
        return out;
    }

    private static double finite(double value, String name) throws Invalid {
        if (!Double.isFinite(value)) {
            throw new Invalid(RejectReason.NON_FINITE, name + " is not finite");
        }
        return value;
    }

    private static void requireObject(JsonNode node, String name) throws Invalid {
        if (!node.isObject()) {
            throw new Invalid(
                    RejectReason.WRONG_TYPE, name + " must be an object, got " + describe(node));
        }
    }

    private static String describe(JsonNode node) {
        JsonNodeType type = node.getNodeType();
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Internal control flow for rejection; never escapes the parser. */
    private static final class Invalid extends Exception {
        private final RejectReason reason;

        Invalid(RejectReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
