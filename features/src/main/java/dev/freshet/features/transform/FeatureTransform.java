package dev.freshet.features.transform;

import dev.freshet.features.event.ParseResult;
import dev.freshet.features.event.RawFeatures;
import dev.freshet.features.event.RejectReason;
import dev.freshet.features.spec.DenseSpec;
import dev.freshet.features.spec.EmbeddingSpec;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.SparseSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw impression features to model inputs under one {@link FeatureSpec}. The one implementation:
 * the Flink job uses it to build samples, serving uses it to score, so training and serving can
 * never compute features differently.
 *
 * <p>Features the spec does not name are dropped. Input it cannot transform (a non-finite value, an
 * embedding of the wrong dimension) is rejected with a reason, never silently repaired.
 */
public final class FeatureTransform {

    private final FeatureSpec spec;

    public FeatureTransform(FeatureSpec spec) {
        this.spec = spec;
    }

    public FeatureSpec spec() {
        return spec;
    }

    public ParseResult<ModelInput> apply(RawFeatures raw) {
        Map<String, Float> dense = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (DenseSpec d : spec.dense()) {
            Double value = raw.dense().get(d.name());
            if (value == null) {
                missing.add(d.name());
            } else if (!Double.isFinite(value)) {
                return ParseResult.rejected(
                        RejectReason.NON_FINITE, "dense." + d.name() + " is not finite");
            } else {
                dense.put(d.name(), d.normalize(value));
            }
        }
        Map<String, long[]> sparse = new LinkedHashMap<>();
        for (SparseSpec s : spec.sparse()) {
            List<String> values = raw.sparse().get(s.name());
            if (values == null || values.isEmpty()) {
                continue;
            }
            long[] ids = new long[values.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = s.id(values.get(i), spec.hashSeed());
            }
            sparse.put(s.name(), ids);
        }
        Map<String, float[]> embeddings = new LinkedHashMap<>();
        for (EmbeddingSpec e : spec.embeddings()) {
            float[] v = raw.embeddings().get(e.name());
            if (v == null) {
                continue;
            }
            if (v.length != e.dim()) {
                return ParseResult.rejected(
                        RejectReason.WRONG_DIMENSION,
                        "embeddings."
                                + e.name()
                                + " has "
                                + v.length
                                + " values; the spec says "
                                + e.dim());
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    return ParseResult.rejected(
                            RejectReason.NON_FINITE,
                            "embeddings." + e.name() + "[" + i + "] is not finite");
                }
            }
            embeddings.put(e.name(), v);
        }
        return ParseResult.ok(new ModelInput(dense, missing, sparse, embeddings));
    }
}
