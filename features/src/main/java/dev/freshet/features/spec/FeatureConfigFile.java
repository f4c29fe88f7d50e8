package dev.freshet.features.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshet.features.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code features:} section of a Freshet YAML config file. Unknown keys and bad values
 * fail with {@link IllegalArgumentException} naming the key, so a typo never silently drops a
 * feature or falls back to a default.
 *
 * <pre>
 * features:
 *   hash_seed: 7
 *   window: 1h
 *   dense: {price: {buckets: 20}, distance_km: {}}
 *   sparse: {city: {buckets: 1000, min_count: 5}, tags: {}}
 *   embeddings: {user_seq: {dim: 16}}
 * </pre>
 */
public final class FeatureConfigFile {

    public static final int DEFAULT_DENSE_BUCKETS = 20;
    public static final int DEFAULT_SPARSE_BUCKETS = 10_000;
    public static final long DEFAULT_MIN_COUNT = 5;

    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final Set<String> KEYS =
            Set.of(
                    "hash_seed",
                    "window",
                    "dense",
                    "sparse",
                    "embeddings",
                    "max_bucket_shift",
                    "min_vocabulary_overlap");

    private FeatureConfigFile() {}

    /** The features section of {@code file}, or empty if the file has none. */
    public static java.util.Optional<FeatureConfig> load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read config " + file + ": " + e.getMessage(), e);
        }
        if (root == null
                || !root.isObject()
                || !root.has("features")
                || root.get("features").isNull()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(parse(root.get("features")));
    }

    /** Parses a {@code features:} section already read as a tree. */
    public static FeatureConfig parse(JsonNode f) {
        object(f, "features");
        for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "features." + key + ": unknown key (known: " + KEYS + ")");
            }
        }
        List<FeatureConfig.DenseFeature> dense = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : entries(f, "dense")) {
            String key = "features.dense." + e.getKey();
            JsonNode o = settings(e.getValue(), key, Set.of("buckets"));
            dense.add(
                    new FeatureConfig.DenseFeature(
                            e.getKey(), integer(o, "buckets", key, DEFAULT_DENSE_BUCKETS)));
        }
        List<FeatureConfig.SparseFeature> sparse = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : entries(f, "sparse")) {
            String key = "features.sparse." + e.getKey();
            JsonNode o = settings(e.getValue(), key, Set.of("buckets", "min_count"));
            sparse.add(
                    new FeatureConfig.SparseFeature(
                            e.getKey(),
                            integer(o, "buckets", key, DEFAULT_SPARSE_BUCKETS),
                            integer(o, "min_count", key, (int) DEFAULT_MIN_COUNT)));
        }
        List<FeatureConfig.EmbeddingFeature> embeddings = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : entries(f, "embeddings")) {
            String key = "features.embeddings." + e.getKey();
            JsonNode o = settings(e.getValue(), key, Set.of("dim"));
            if (!o.has("dim")) {
                throw new IllegalArgumentException(key + ".dim: is required");
            }
            embeddings.add(
                    new FeatureConfig.EmbeddingFeature(e.getKey(), integer(o, "dim", key, 0)));
        }
        long seed = f.has("hash_seed") ? integer(f, "hash_seed", "features", 0) : 0;
        Duration window =
                f.has("window")
                        ? duration(f.get("window"), "features.window")
                        : Duration.ofHours(1);
        int shift = f.has("max_bucket_shift") ? integer(f, "max_bucket_shift", "features", 1) : 1;
        double overlap = 0.9;
        if (f.has("min_vocabulary_overlap")) {
            JsonNode n = f.get("min_vocabulary_overlap");
            if (!n.isNumber()) {
                throw new IllegalArgumentException(
                        "features.min_vocabulary_overlap: expected a number");
            }
            overlap = n.doubleValue();
        }
        return new FeatureConfig(seed, dense, sparse, embeddings, window, shift, overlap);
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode f, String section) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (f.has(section) && !f.get(section).isNull()) {
            object(f.get(section), "features." + section).fields().forEachRemaining(out::add);
        }
        return out;
    }

    private static JsonNode settings(JsonNode n, String key, Set<String> allowed) {
        if (n == null || n.isNull()) {
            return YAML.createObjectNode();
        }
        object(n, key);
        n.fieldNames()
                .forEachRemaining(
                        k -> {
                            if (!allowed.contains(k)) {
                                throw new IllegalArgumentException(
                                        key + "." + k + ": unknown key (known: " + allowed + ")");
                            }
                        });
        return n;
    }

    private static JsonNode object(JsonNode n, String key) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(key + ": expected a mapping");
        }
        return n;
    }

    private static int integer(JsonNode o, String field, String key, int fallback) {
        JsonNode n = o.get(field);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException(
                    key + "." + field + ": expected an integer, got '" + n.asText() + "'");
        }
        return n.intValue();
    }

    private static Duration duration(JsonNode n, String key) {
        try {
            if (n.isTextual()) {
                return Durations.parse(n.textValue());
            }
        } catch (IllegalArgumentException e) {
            // reported below, naming the key
        }
        throw new IllegalArgumentException(
                key + ": expected a duration such as 30m or 1h, got '" + n.asText() + "'");
    }
}
