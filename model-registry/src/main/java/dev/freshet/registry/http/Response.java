package dev.freshet.registry.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status, a content type, the body and any extra headers. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json";

    public Response {
        headers = Map.copyOf(headers);
    }

    public static Response json(int status, Object value) {
        return new Response(status, JSON, Json.write(value), Map.of());
    }

    public static Response ok(Object value) {
        return json(200, value);
    }

    public static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response bytes(String contentType, byte[] body) {
        return new Response(200, contentType, body, Map.of());
    }

    /** A temporary redirect (307), e.g. to a presigned download URL. */
    public static Response redirect(String location) {
        return new Response(307, JSON, new byte[0], Map.of("Location", location));
    }

    public static Response notModified(String etag) {
        return new Response(304, JSON, new byte[0], Map.of("ETag", etag));
    }

    public static Response error(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field());
        }
        return json(e.status(), body);
    }

    public Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, contentType, body, h);
    }
}
