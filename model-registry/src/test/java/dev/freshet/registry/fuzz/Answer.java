package dev.freshet.registry.fuzz;

import static dev.freshet.registry.fuzz.FuzzInputs.MLFLOW;
import static dev.freshet.registry.fuzz.FuzzInputs.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One answer of the registry, and the checks every fuzzer makes of it. */
record Answer(int status, Map<String, String> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Refused by the JDK's HTTP server before any registry code ran (bad request line, malformed
     * URI or header): its own HTML page, not ours to shape.
     */
    boolean jdkRejection() {
        return status >= 400
                && headers.getOrDefault("Content-Type", "").startsWith("text/html")
                && new String(body, StandardCharsets.UTF_8).startsWith("<h1>");
    }

    /** Null if this is an error in the shape of the API that {@code rawPath} belongs to. */
    String errorShape(String rawPath) {
        String type = headers.getOrDefault("Content-Type", "");
        if (!type.startsWith("application/json")) {
            return "error with Content-Type '" + type + "'";
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return "error body is not JSON: " + clip(new String(body, StandardCharsets.UTF_8));
        }
        if (json == null || !json.isObject()) {
            return "error body is not a JSON object";
        }
        String path = apiPath(rawPath);
        boolean mlflow = path.equals(MLFLOW) || path.startsWith(MLFLOW + "/");
        if (mlflow) {
            return json.path("error_code").isTextual() && json.path("message").isTextual()
                    ? null
                    : "not an MLflow error: " + clip(json.toString());
        }
        return json.path("error").isTextual()
                ? null
                : "not a native error: " + clip(json.toString());
    }

    /**
     * The path as the server parses a request target: "//api/..." is an authority, then a path;
     * segments decoded, empty ones dropped.
     */
    static String apiPath(String rawTarget) {
        return "/" + String.join("/", segments(decode(serverPath(rawTarget))));
    }

    /** The non-empty segments of a path. */
    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static String serverPath(String target) {
        try {
            String p = new URI(target).getRawPath();
            return p == null ? target : p;
        } catch (java.net.URISyntaxException e) {
            return target;
        }
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
