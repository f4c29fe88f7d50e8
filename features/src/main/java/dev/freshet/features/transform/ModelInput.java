package dev.freshet.features.transform;

import java.util.List;
import java.util.Map;

/**
 * Raw features after the spec's transform, in the form samples carry and the model reads.
 *
 * @param dense bucket value b/n in [0, 1) per dense feature that was present
 * @param denseMissing dense features of the spec that were null or absent (the missing mask)
 * @param sparse ids per sparse field: OOV (0) for rare or unseen values, else 1 .. buckets - 1; an
 *     absent field has no ids
 * @param embeddings vectors of the declared dimension, for the embeddings that were present
 */
public record ModelInput(
        Map<String, Float> dense,
        List<String> denseMissing,
        Map<String, long[]> sparse,
        Map<String, float[]> embeddings) {}
