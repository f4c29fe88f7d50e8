package dev.freshet.manifest;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Manifests as JSON: snake_case keys, NaN metrics (a task without both classes has no AUC) written
 * as the string "NaN" so the document stays valid JSON.
 */
public final class ManifestJson {

    static final ObjectMapper JSON =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();

    private ManifestJson() {}

    public static byte[] toBytes(Manifest manifest) {
        try {
            return JSON.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write manifest", e);
        }
    }

    public static Manifest parse(byte[] json) throws IOException {
        return JSON.readValue(json, Manifest.class);
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
