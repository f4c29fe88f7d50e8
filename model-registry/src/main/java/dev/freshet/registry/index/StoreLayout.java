package dev.freshet.registry.index;

import dev.freshet.manifest.Manifest;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the registry's objects live in the bucket (docs/REGISTRY.md has the table) and how a key is
 * read back. Every object the registry reads is written once and never changed, so a key seen once
 * never needs reading again.
 */
public final class StoreLayout {

    public static final String ROOT = "models/";

    /** Model and alias names: nothing that could climb out of its prefix or need escaping. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final String N = "([A-Za-z0-9][A-Za-z0-9._-]{0,127})";
    private static final Pattern VERSION =
            Pattern.compile("models/" + N + "/versions/([1-9][0-9]{0,17})/manifest\\.json");
    private static final Pattern CANDIDATE =
            Pattern.compile("models/" + N + "/rejected/([^/]+)/manifest\\.json");
    private static final Pattern REJECTION =
            Pattern.compile("models/" + N + "/rejections/([1-9][0-9]{0,17})\\.json");
    private static final Pattern ALIAS =
            Pattern.compile("models/" + N + "/aliases/" + N + "/([0-9]{10})\\.json");

    private StoreLayout() {}

    /** What a key holds. */
    public enum Kind {
        VERSION,
        CANDIDATE,
        REJECTION,
        ALIAS_EVENT
    }

    /** A key the registry reads, taken apart. */
    public record Key(Kind kind, String model, String name, long number) {}

    public static boolean validName(String name) {
        return name != null
                && NAME.matcher(name).matches()
                && !name.equals(".")
                && !name.equals("..");
    }

    public static String manifestKey(String model, long version) {
        return ROOT + model + "/versions/" + version + "/" + Manifest.FILE;
    }

    public static String fileKey(String model, long version, String file) {
        return ROOT + model + "/versions/" + version + "/" + file;
    }

    public static String rejectionKey(String model, long version) {
        return ROOT + model + "/rejections/" + version + ".json";
    }

    public static String aliasEventKey(String model, String alias, long seq) {
        return ROOT + model + "/aliases/" + alias + "/" + String.format("%010d", seq) + ".json";
    }

    /** The key taken apart, or empty for keys the registry does not read (version files). */
    public static Optional<Key> parse(String key) {
        Matcher m = VERSION.matcher(key);
        if (m.matches()) {
            return Optional.of(new Key(Kind.VERSION, m.group(1), null, Long.parseLong(m.group(2))));
        }
        m = CANDIDATE.matcher(key);
        if (m.matches()) {
            return Optional.of(new Key(Kind.CANDIDATE, m.group(1), m.group(2), 0));
        }
        m = REJECTION.matcher(key);
        if (m.matches()) {
            return Optional.of(
                    new Key(Kind.REJECTION, m.group(1), null, Long.parseLong(m.group(2))));
        }
        m = ALIAS.matcher(key);
        if (m.matches()) {
            return Optional.of(
                    new Key(Kind.ALIAS_EVENT, m.group(1), m.group(2), Long.parseLong(m.group(3))));
        }
        return Optional.empty();
    }
}
