package dev.freshet.registry.mlflow;

import dev.freshet.registry.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small part of MLflow's search filter grammar the registry understands: clauses joined by
 * {@code AND}, each {@code name = 'x'}, {@code name != 'x'}, {@code name LIKE 'x%'}, {@code name
 * ILIKE 'x%'} or (model versions only) {@code version_number} compared with {@code = != < <= > >=}
 * to an integer. Anything else is a 400 naming {@code filter}, never a silently wider result.
 */
final class MlflowFilter {

    static final String NAME = "name";
    static final String VERSION_NUMBER = "version_number";

    private static final Pattern CLAUSE =
            Pattern.compile(
                    "\\s*`?([A-Za-z_][A-Za-z_.]*)`?\\s*(!=|<=|>=|=|<|>|(?i:ilike|like)(?=\\s|['\"]))"
                            + "\\s*('[^']*'|\"[^\"]*\"|-?[0-9]+)\\s*");
    private static final Pattern AND = Pattern.compile("(?i)and\\s+");

    private record Clause(String key, String op, String value) {
        boolean matches(String name, long version) {
            if (NAME.equals(key)) {
                return switch (op) {
                    case "=" -> name.equals(value);
                    case "!=" -> !name.equals(value);
                    case "LIKE" -> like(value, false).matcher(name).matches();
                    case "ILIKE" -> like(value, true).matcher(name).matches();
                    default -> throw new IllegalStateException(op);
                };
            }
            int c = Long.compare(version, Long.parseLong(value));
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalStateException(op);
            };
        }
    }

    private final List<Clause> clauses;

    private MlflowFilter(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /** Parses {@code filter} (null or blank: everything) allowing only {@code keys}. */
    static MlflowFilter parse(String filter, Set<String> keys) {
        List<Clause> clauses = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return new MlflowFilter(clauses);
        }
        Matcher m = CLAUSE.matcher(filter);
        Matcher and = AND.matcher(filter);
        int at = 0;
        while (true) {
            m.region(at, filter.length());
            if (!m.lookingAt()) {
                throw bad("cannot parse filter at '" + clip(filter.substring(at)) + "'");
            }
            clauses.add(clause(m.group(1), m.group(2), m.group(3), keys));
            at = m.end();
            if (at == filter.length()) {
                return new MlflowFilter(clauses);
            }
            and.region(at, filter.length());
            if (!and.lookingAt()) {
                throw bad("cannot parse filter at '" + clip(filter.substring(at)) + "'");
            }
            at = and.end();
        }
    }

    boolean matches(String name, long version) {
        return clauses.stream().allMatch(c -> c.matches(name, version));
    }

    private static Clause clause(String key, String op, String literal, Set<String> keys) {
        if (!keys.contains(key)) {
            throw bad("filter key '" + key + "' is not supported; supported: " + keys);
        }
        String upper = op.toUpperCase(java.util.Locale.ROOT);
        boolean quoted = literal.startsWith("'") || literal.startsWith("\"");
        String value = quoted ? literal.substring(1, literal.length() - 1) : literal;
        if (NAME.equals(key)) {
            if (!quoted || !Set.of("=", "!=", "LIKE", "ILIKE").contains(upper)) {
                throw bad("name takes =, !=, LIKE or ILIKE and a quoted string");
            }
        } else if (!value.matches("-?[0-9]{1,18}") || upper.endsWith("LIKE")) {
            throw bad(key + " takes =, !=, <, <=, >, >= and an integer");
        }
        return new Clause(key, upper, value);
    }

    /** SQL LIKE: {@code %} any run of characters, {@code _} any one; everything else literal. */
    static Pattern like(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '%' || ch == '_') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(ch == '%' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(
                regex.toString(),
                ignoreCase
                        ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL
                        : Pattern.DOTALL);
    }

    private static ApiException bad(String message) {
        return ApiException.badRequest("filter", message);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
