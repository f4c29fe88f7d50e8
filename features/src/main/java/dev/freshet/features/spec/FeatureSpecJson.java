package dev.freshet.features.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The JSON form of a {@link FeatureSpec}: what is published to {@code freshet.feature-specs}, the
 * object store and model checkpoints. The version is the first 16 hex digits of the SHA-256 of the
 * canonical JSON without the version, so equal content always has an equal version and any change
 * to it a different one; reading checks that the two agree.
 */
public final class FeatureSpecJson {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int FORMAT = 1;

    private FeatureSpecJson() {}

    public static byte[] toBytes(FeatureSpec spec) {
        ObjectNode root = content(spec);
        root.put("version", spec.version());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a spec, or its version does not match
     *     its content
     */
    public static FeatureSpec fromBytes(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a feature spec: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("not a feature spec of format " + FORMAT);
        }
        List<DenseSpec> dense = new ArrayList<>();
        for (JsonNode d : root.path("dense")) {
            double[] b = new double[d.path("boundaries").size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = d.path("boundaries").get(i).doubleValue();
            }
            dense.add(new DenseSpec(d.path("name").asText(), b));
        }
        List<SparseSpec> sparse = new ArrayList<>();
        for (JsonNode s : root.path("sparse")) {
            long[] f = new long[s.path("frequent").size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = s.path("frequent").get(i).longValue();
            }
            sparse.add(
                    new SparseSpec(
                            s.path("name").asText(),
                            s.path("buckets").asInt(),
                            s.path("min_count").asLong(),
                            f));
        }
        List<EmbeddingSpec> embeddings = new ArrayList<>();
        for (JsonNode e : root.path("embeddings")) {
            embeddings.add(new EmbeddingSpec(e.path("name").asText(), e.path("dim").asInt()));
        }
        FeatureSpec spec =
                FeatureSpec.of(root.path("hash_seed").asLong(), dense, sparse, embeddings);
        String claimed = root.path("version").asText();
        if (!spec.version().equals(claimed)) {
            throw new IllegalArgumentException(
                    "feature spec version "
                            + claimed
                            + " does not match its content ("
                            + spec.version()
                            + ")");
        }
        return spec;
    }

    /** The content hash of a spec, ignoring its version field. */
    static String version(FeatureSpec spec) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(content(spec).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static ObjectNode content(FeatureSpec spec) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("hash_seed", spec.hashSeed());
        ArrayNode dense = root.putArray("dense");
        for (DenseSpec d : spec.dense()) {
            ObjectNode o = dense.addObject();
            o.put("name", d.name());
            ArrayNode b = o.putArray("boundaries");
            for (double v : d.boundaries()) {
                b.add(v);
            }
        }
        ArrayNode sparse = root.putArray("sparse");
        for (SparseSpec s : spec.sparse()) {
            ObjectNode o = sparse.addObject();
            o.put("name", s.name());
            o.put("buckets", s.buckets());
            o.put("min_count", s.minCount());
            ArrayNode f = o.putArray("frequent");
            for (long v : s.frequent()) {
                f.add(v);
            }
        }
        ArrayNode embeddings = root.putArray("embeddings");
        for (EmbeddingSpec e : spec.embeddings()) {
            embeddings.addObject().put("name", e.name()).put("dim", e.dim());
        }
        return root;
    }
}
