package dev.freshet.cli.compose;

import dev.freshet.testing.Checkout;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The checkout the launcher module sits in, and what the deployment tests read from it. */
final class RepoFiles {

    /** The repository root: the directory above the launcher module. */

    /**
     * Compose's variable references: ${V}, ${V:-default}, ${V-default}, ${V:?error}, ${V?error}.
     */
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private RepoFiles() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Yaml().load(text);
    }

    /**
     * Substitutes variables the way compose does, from {@code env} only: an unset variable with
     * {@code :?} or {@code ?} is an error naming it, as {@code docker compose} makes it one.
     */
    static String interpolate(String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "$";
            } else {
                String value = env.get(m.group(1));
                String op = m.group(2);
                boolean unset =
                        value == null || (op != null && op.startsWith(":") && value.isEmpty());
                if (!unset) {
                    replacement = value;
                } else if (op != null && op.endsWith("?")) {
                    throw new IllegalArgumentException(m.group(1) + ": " + m.group(3));
                } else {
                    replacement = op != null ? m.group(3) : "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A property of the root pom, e.g. {@code kafka.version}. */
    static String pomProperty(String name) {
        Matcher m =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</")
                        .matcher(Checkout.read("pom.xml"));
        if (!m.find()) {
            throw new IllegalStateException("root pom has no property " + name);
        }
        return m.group(1).trim();
    }
}
