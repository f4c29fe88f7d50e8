package dev.freshet.features.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON view of a sample: one object per line, with the field names of the Avro schema. {@link
 * #fromJson} reads the view back, so a capture of the {@code samples} topic ({@code freshet samples
 * > file}) can be trained on again, e.g. by {@code freshet experiment}.
 */
public final class SampleJson {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private SampleJson() {}

    public static ObjectNode toJson(Sample s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("impression_id", s.impressionId());
        o.put("request_id", s.requestId());
        if (s.userId() != null) {
            o.put("user_id", s.userId());
        }
        if (s.itemId() != null) {
            o.put("item_id", s.itemId());
        }
        if (s.position() != null) {
            o.put("position", s.position());
        }
        o.put("event_time", s.eventTime());
        o.put("emit_time", s.emitTime());
        o.put("spec_version", s.specVersion());
        ObjectNode labels = o.putObject("labels");
        s.labels().forEach(labels::put);
        o.put("weight", s.weight());
        ObjectNode dense = o.putObject("dense");
        s.dense().forEach(dense::put);
        ObjectNode missing = o.putObject("dense_missing");
        s.denseMissing().forEach(name -> missing.put(name, 1));
        ObjectNode sparse = o.putObject("sparse");
        if (!s.sparse().isEmpty()) {
            s.sparse()
                    .forEach(
                            (k, ids) -> {
                                ArrayNode a = sparse.putArray(k);
                                for (long id : ids) {
                                    a.add(id);
                                }
                            });
        } else {
            s.sparseRaw().forEach((k, values) -> strings(sparse.putArray(k), values));
        }
        ObjectNode embeddings = o.putObject("embeddings");
        s.embeddings()
                .forEach(
                        (k, v) -> {
                            ArrayNode a = embeddings.putArray(k);
                            for (float f : v) {
                                a.add(f);
                            }
                        });
        return o;
    }

    public static String toJsonLine(Sample s) {
        return toJson(s).toString();
    }

    private static void strings(ArrayNode target, List<String> values) {
        values.forEach(target::add);
    }

    /**
     * Reads the JSON view back into a sample. A sample with hashed ids ({@code sparse} holding
     * numbers) reads back as a transformed sample; one with strings as a raw one.
     *
     * @throws SampleFormatException naming the field, if the object is not a sample's JSON view
     */
    public static Sample fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw invalid("a sample must be a JSON object");
        }
        Map<String, Integer> labels = new LinkedHashMap<>();
        object(o, "labels").properties().forEach(e -> labels.put(e.getKey(), label(e)));
        Map<String, Float> dense = new LinkedHashMap<>();
        object(o, "dense")
                .properties()
                .forEach(e -> dense.put(e.getKey(), number("dense." + e.getKey(), e.getValue())));
        List<String> missing = new ArrayList<>();
        object(o, "dense_missing").properties().forEach(e -> missing.add(e.getKey()));
        Map<String, long[]> sparse = new LinkedHashMap<>();
        Map<String, List<String>> sparseRaw = new LinkedHashMap<>();
        object(o, "sparse").properties().forEach(e -> sparseField(e, sparse, sparseRaw));
        Map<String, float[]> embeddings = new LinkedHashMap<>();
        object(o, "embeddings").properties().forEach(e -> embeddings.put(e.getKey(), vector(e)));
        JsonNode position = o.get("position");
        return new Sample(
                text(o, "impression_id", true),
                text(o, "request_id", true),
                text(o, "user_id", false),
                text(o, "item_id", false),
                position == null || position.isNull() ? null : (int) integral("position", position),
                integral("event_time", required(o, "event_time")),
                o.has("emit_time") ? integral("emit_time", o.get("emit_time")) : 0L,
                text(o, "spec_version", true),
                labels,
                o.has("weight") ? number("weight", o.get("weight")) : 1f,
                dense,
                missing,
                sparse,
                sparseRaw,
                embeddings);
    }

    private static void sparseField(
            Map.Entry<String, JsonNode> e, Map<String, long[]> ids, Map<String, List<String>> raw) {
        JsonNode values = e.getValue();
        String field = "sparse." + e.getKey();
        if (!values.isArray()) {
            throw invalid(field + " must be a list");
        }
        if (values.isEmpty() || values.get(0).isIntegralNumber()) {
            long[] out = new long[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = integral(field, values.get(i));
            }
            ids.put(e.getKey(), out);
        } else {
            List<String> out = new ArrayList<>(values.size());
            values.forEach(v -> out.add(v.asText()));
            raw.put(e.getKey(), out);
        }
    }

    private static float[] vector(Map.Entry<String, JsonNode> e) {
        String field = "embeddings." + e.getKey();
        if (!e.getValue().isArray()) {
            throw invalid(field + " must be a list of numbers");
        }
        float[] v = new float[e.getValue().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = number(field, e.getValue().get(i));
        }
        return v;
    }

    private static int label(Map.Entry<String, JsonNode> e) {
        long value = integral("labels." + e.getKey(), e.getValue());
        if (value != 0 && value != 1) {
            throw invalid("labels." + e.getKey() + " must be 0 or 1, got " + value);
        }
        return (int) value;
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw invalid("missing " + field);
        }
        return v;
    }

    private static JsonNode object(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return JSON.createObjectNode();
        }
        if (!v.isObject()) {
            throw invalid(field + " must be an object");
        }
        return v;
    }

    private static String text(JsonNode o, String field, boolean required) {
        JsonNode v = required ? required(o, field) : o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return v.textValue();
    }

    private static long integral(String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid(field + " must be an integer, got " + v);
        }
        return v.longValue();
    }

    private static float number(String field, JsonNode v) {
        if (!v.isNumber()) {
            throw invalid(field + " must be a number, got " + v);
        }
        return v.floatValue();
    }

    private static SampleFormatException invalid(String message) {
        return new SampleFormatException("not a sample's JSON view: " + message, null);
    }
}
