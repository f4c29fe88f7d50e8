package dev.freshet.registry.api;

import dev.freshet.registry.http.ApiException;
import dev.freshet.registry.index.StoreLayout;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of path and query values shared by the native and MLflow APIs. */
public final class Requests {

    static final String DEFAULT_ACTOR = "api";
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,19}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s)?");
    private static final int MAX_TEXT = 2000;

    private Requests() {}

    public static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(field, field + " is required");
        }
        if (!StoreLayout.validName(value)) {
            throw ApiException.badRequest(
                    field,
                    field + " must match " + StoreLayout.NAME.pattern() + " and not be . or ..");
        }
        return value;
    }

    public static long version(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(field, field + " is required");
        }
        try {
            // ASCII digits only: Long.parseLong also takes "+7" and other scripts' digits ("٧").
            long v = VERSION.matcher(value).matches() ? Long.parseLong(value) : 0;
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw ApiException.badRequest(
                field, field + " must be a positive integer, got '" + clip(value) + "'");
    }

    static Duration duration(String field, String value, Duration max) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw ApiException.badRequest(
                    field, field + " must look like 30s or 500ms, got '" + clip(value) + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = "ms".equals(m.group(2)) ? Duration.ofMillis(n) : Duration.ofSeconds(n);
        return d.compareTo(max) > 0 ? max : d;
    }

    static int pageSize(String value, int dflt, int max) {
        if (value == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.badRequest("page_size", "page_size must be an integer from 1 to " + max);
    }

    /** Free text (reasons): required, bounded. */
    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(field, field + " is required");
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.badRequest(
                    field, field + " is longer than " + MAX_TEXT + " characters");
        }
        return wellFormed(field, value);
    }

    static String actor(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_ACTOR;
        }
        if (value.length() > 200) {
            throw ApiException.badRequest("actor", "actor is longer than 200 characters");
        }
        return wellFormed("actor", value);
    }

    /**
     * Text the registry stores must be valid Unicode: a JSON escape can spell a lone surrogate
     * (D800 to DFFF), which the audit log would keep and strict JSON readers refuse.
     */
    private static String wellFormed(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest(
                        field, field + " is not valid Unicode (a lone surrogate at " + i + ")");
            }
        }
        return value;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
