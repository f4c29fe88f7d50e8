package dev.freshet.registry.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes by method and path template ({@code /api/v1/models/{model}}); a segment in braces captures
 * one path segment. Build it once with {@link #get}/{@link #post}/..., then {@link #match} each
 * request: no template matches → 404, a template matches but not the method → 405 with the allowed
 * methods.
 */
public final class Router {

    /** Handles a matched request. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    /**
     * @param template the path template, also the route's name in metrics
     * @param write whether the route changes state and so needs the write token
     */
    public record Route(String method, String template, boolean write, Handler handler) {
        List<String> segments() {
            return split(template);
        }
    }

    /** A route and the path parameters the request gave it. */
    public record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    public Router get(String template, Handler handler) {
        return add("GET", template, false, handler);
    }

    public Router post(String template, Handler handler) {
        return add("POST", template, true, handler);
    }

    /** A POST that only reads (MLflow's search endpoints), so it needs no token. */
    public Router postRead(String template, Handler handler) {
        return add("POST", template, false, handler);
    }

    public Router put(String template, Handler handler) {
        return add("PUT", template, true, handler);
    }

    public Router patch(String template, Handler handler) {
        return add("PATCH", template, true, handler);
    }

    public Router delete(String template, Handler handler) {
        return add("DELETE", template, true, handler);
    }

    public Router add(String method, String template, boolean write, Handler handler) {
        routes.add(new Route(method, template, write, handler));
        return this;
    }

    /** Every route, in the order added (the OpenAPI test walks them). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * The route for {@code method} and the decoded path segments, or an {@link ApiException} 404 /
     * 405. A HEAD request matches GET routes.
     */
    public Match match(String method, List<String> pathSegments) {
        String m = "HEAD".equals(method) ? "GET" : method;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> params = bind(route.segments(), pathSegments);
            if (params.isEmpty()) {
                continue;
            }
            if (route.method().equals(m)) {
                return new Match(route, params.get());
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("no such resource");
        }
        throw new ApiException(405, "method " + method + " not allowed here; allowed: " + allowed);
    }

    private static Optional<Map<String, String>> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), path.get(i));
            } else if (!t.equals(path.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
