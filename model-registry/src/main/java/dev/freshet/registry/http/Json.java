package dev.freshet.registry.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * JSON for the API: snake_case, NaN metrics as the string "NaN" (as in manifests), and strict
 * request bodies: an unknown field, a wrong type (no coercion of scalars to strings or of strings
 * to integers), a duplicate key, a missing required value or trailing garbage is a 400.
 */
public final class Json {

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    // {"version": 7, "version": 3} is ambiguous (Jackson keeps the last): refused.
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    // No scalar coercions: {"alias": true} is not the alias "true", nor
                    // {"version": "7"} version 7 (Jackson converts both by default).
                    .withCoercionConfig(
                            LogicalType.Textual,
                            c ->
                                    c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                            .setCoercion(
                                                    CoercionInputShape.Float, CoercionAction.Fail)
                                            .setCoercion(
                                                    CoercionInputShape.Boolean,
                                                    CoercionAction.Fail))
                    .withCoercionConfig(
                            LogicalType.Integer,
                            c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                    .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Reads a request body strictly into {@code type}; any mistake is a 400 naming the field. */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest(null, "request body is empty, JSON expected");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest(null, "request body is null, a JSON object expected");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest(path(e), "unknown field '" + path(e) + "'");
        } catch (JsonMappingException e) {
            String field = path(e);
            String why = e.getOriginalMessage();
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw ApiException.badRequest(
                    field.isEmpty() ? null : field,
                    field.isEmpty()
                            ? "request body is not the expected JSON object: " + firstLine(why)
                            : "field '" + field + "': " + firstLine(why));
        } catch (JacksonException e) {
            throw ApiException.badRequest(
                    null, "malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiException.badRequest(null, "unreadable request body");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(
                        ref ->
                                ref.getFieldName() != null
                                        ? ref.getFieldName()
                                        : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
