package dev.freshet.features.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON view of a sample: one object per line, with the field names of the Avro schema. */
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
}
