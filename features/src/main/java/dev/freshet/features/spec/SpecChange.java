package dev.freshet.features.spec;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether a refitted spec differs enough from the current one to publish it. Every new version
 * makes samples of two specs coexist for a while and asks the trainer to adapt, so noise between
 * refits must not produce versions:
 *
 * <ul>
 *   <li>any change of features, bucket counts, min counts, dimensions or seed is significant;
 *   <li>a dense feature changed significantly if one of its new quantile cut points falls more than
 *       {@code max_bucket_shift} buckets away, under the old spec, from the bucket its rank implies
 *       (the i-th cut point should open bucket i);
 *   <li>a sparse field changed significantly if the Jaccard overlap of its old and new frequent
 *       sets is below {@code min_vocabulary_overlap}.
 * </ul>
 */
public final class SpecChange {

    private SpecChange() {}

    public static boolean significant(
            FeatureSpec current, FeatureSpec candidate, FeatureConfig config) {
        if (current.hashSeed() != candidate.hashSeed()
                || !current.embeddings().equals(candidate.embeddings())
                || current.dense().size() != candidate.dense().size()
                || current.sparse().size() != candidate.sparse().size()) {
            return true;
        }
        for (DenseSpec next : candidate.dense()) {
            DenseSpec old = current.denseFeature(next.name()).orElse(null);
            if (old == null || old.buckets() != next.buckets()) {
                return true;
            }
            double[] cuts = next.boundaries();
            for (int i = 0; i < cuts.length; i++) {
                if (Math.abs(old.bucket(cuts[i]) - (i + 1)) > config.maxBucketShift()) {
                    return true;
                }
            }
        }
        for (SparseSpec next : candidate.sparse()) {
            SparseSpec old = current.sparseFeature(next.name()).orElse(null);
            if (old == null
                    || old.buckets() != next.buckets()
                    || old.minCount() != next.minCount()) {
                return true;
            }
            if (jaccard(old.frequent(), next.frequent()) < config.minVocabularyOverlap()) {
                return true;
            }
        }
        return false;
    }

    static double jaccard(long[] a, long[] b) {
        if (a.length == 0 && b.length == 0) {
            return 1.0;
        }
        Set<Long> union = new HashSet<>();
        Set<Long> left = new HashSet<>();
        for (long v : a) {
            left.add(v);
            union.add(v);
        }
        int both = 0;
        for (long v : b) {
            if (left.contains(v)) {
                both++;
            }
            union.add(v);
        }
        return (double) both / union.size();
    }
}
