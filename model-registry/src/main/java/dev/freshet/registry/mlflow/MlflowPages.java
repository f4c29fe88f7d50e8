package dev.freshet.registry.mlflow;

import dev.freshet.registry.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Paging of the search endpoints. A page token is the position of the last item shown (model name,
 * version), so a page never repeats or skips an item because another was published meanwhile.
 */
final class MlflowPages {

    private MlflowPages() {}

    /** A place in the order (name ascending, then version descending; 0 for models). */
    record Position(String name, long version) {

        /** Whether (name, version) comes after this position. */
        boolean before(String otherName, long otherVersion) {
            int c = otherName.compareTo(name);
            return c > 0 || c == 0 && otherVersion < version;
        }
    }

    static String encode(Position p) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((p.name() + "/" + p.version()).getBytes(StandardCharsets.UTF_8));
    }

    static Optional<Position> decode(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int slash = s.lastIndexOf('/');
            if (slash > 0) {
                return Optional.of(
                        new Position(
                                s.substring(0, slash), Long.parseLong(s.substring(slash + 1))));
            }
        } catch (IllegalArgumentException e) {
            // NumberFormatException included; falls through
        }
        throw ApiException.badRequest("page_token", "page_token is not one this registry issued");
    }

    static int maxResults(Long value, int dflt, int max) {
        if (value == null) {
            return dflt;
        }
        if (value < 1 || value > max) {
            throw ApiException.badRequest(
                    "max_results", "max_results must be from 1 to " + max + ", got " + value);
        }
        return value.intValue();
    }

    /** {@code {key: page, "next_page_token": next}}, the token left out on the last page. */
    static Map<String, Object> body(String key, List<Map<String, Object>> page, String next) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, page);
        if (next != null) {
            out.put("next_page_token", next);
        }
        return out;
    }
}
