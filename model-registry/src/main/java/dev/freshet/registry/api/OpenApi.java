package dev.freshet.registry.api;

import dev.freshet.registry.http.Response;
import dev.freshet.registry.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the API's OpenAPI 3 document, kept beside the code in the jar. */
public final class OpenApi {

    public static final String RESOURCE = "/dev/freshet/registry/openapi.json";

    private OpenApi() {}

    public static Router routes(Router r) {
        byte[] doc = load();
        return r.get("/api/v1/openapi.json", q -> Response.bytes(Response.JSON, doc));
    }

    static byte[] load() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
