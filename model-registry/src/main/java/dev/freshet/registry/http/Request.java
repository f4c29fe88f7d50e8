package dev.freshet.registry.http;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request as handlers see it: the matched route's path parameters (already percent-decoded),
 * the query parameters (first value of each), headers (case-insensitive) and the body, read up to
 * the service's size bound before the handler runs.
 */
public record Request(
        String method,
        String path,
        Map<String, String> pathParams,
        Map<String, String> query,
        Map<String, String> headers,
        byte[] body) {

    public Request {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        headers = h;
    }

    /** A path parameter of the matched route; the route guarantees it is there. */
    public String param(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return v;
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    public <T> T body(Class<T> type) {
        return Json.read(body, type);
    }
}
