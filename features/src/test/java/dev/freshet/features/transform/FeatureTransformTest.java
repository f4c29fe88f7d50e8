package dev.freshet.features.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.ParseResult;
import dev.freshet.features.event.RawFeatures;
import dev.freshet.features.event.RejectReason;
import dev.freshet.features.spec.DenseSpec;
import dev.freshet.features.spec.EmbeddingSpec;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.SparseSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureTransformTest {

    private static final long SEED = 7;
    private static final FeatureSpec SPEC =
            FeatureSpec.of(
                    SEED,
                    List.of(
                            new DenseSpec("price", new double[] {1, 2, 3}),
                            new DenseSpec("constant", new double[0])),
                    List.of(
                            new SparseSpec(
                                    "city",
                                    100,
                                    5,
                                    new long[] {
                                        SparseSpec.fingerprint("city", "beijing", SEED),
                                        SparseSpec.fingerprint("city", "shanghai", SEED)
                                    }),
                            new SparseSpec(
                                    "tags",
                                    50,
                                    5,
                                    new long[] {
                                        SparseSpec.fingerprint("tags", "spicy", SEED),
                                        SparseSpec.fingerprint("tags", "noodles", SEED)
                                    })),
                    List.of(new EmbeddingSpec("user_seq", 3)));
    private final FeatureTransform transform = new FeatureTransform(SPEC);

    @Test
    void denseValuesBecomeTheirBucketOverTheBucketCount() {
        // 3 boundaries, 4 buckets: (-inf,1) [1,2) [2,3) [3,inf)
        assertThat(dense(0.5)).isEqualTo(0.0f);
        assertThat(dense(1.0)).isEqualTo(0.25f); // a value on a boundary opens the next bucket
        assertThat(dense(1.999)).isEqualTo(0.25f);
        assertThat(dense(2.0)).isEqualTo(0.5f);
        assertThat(dense(3.0)).isEqualTo(0.75f);
        assertThat(dense(1e300)).isEqualTo(0.75f).isLessThan(1.0f);
        assertThat(dense(-1e300)).isEqualTo(0.0f);
    }

    @Test
    void aDoubleJustBelowACutPointBucketsLikeTheFloatASampleCarries() {
        double cut = (float) 2.1; // cut points are fitted from float sample values
        double servingValue = cut - Math.ulp((float) cut) / 4; // a raw double, below the cut
        DenseSpec d = new DenseSpec("x", new double[] {cut});
        assertThat(servingValue).isLessThan(cut);
        assertThat(d.bucket(servingValue)).isEqualTo(d.bucket((float) servingValue)).isEqualTo(1);
    }

    @Test
    void aFeatureWhoseValuesWereAllEqualHasOneBucket() {
        ModelInput in = ok(new RawFeatures(Map.of("constant", 42.0), Map.of(), Map.of()));
        assertThat(in.dense()).containsEntry("constant", 0.0f);
    }

    @Test
    void nullAndAbsentDenseValuesAreMissingNotZero() {
        Map<String, Double> dense = new HashMap<>();
        dense.put("price", null);
        ModelInput in = ok(new RawFeatures(dense, Map.of(), Map.of()));
        assertThat(in.dense()).isEmpty();
        assertThat(in.denseMissing()).containsExactly("price", "constant");
    }

    @Test
    void nonFiniteDenseValuesAreRejected() {
        for (double bad :
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThat(rejected(new RawFeatures(Map.of("price", bad), Map.of(), Map.of())))
                    .isEqualTo(RejectReason.NON_FINITE);
        }
    }

    @Test
    void rareAndUnseenValuesMapToTheOovIdAndFrequentOnesToHashBuckets() {
        ModelInput in =
                ok(
                        new RawFeatures(
                                Map.of(),
                                Map.of("city", List.of("beijing", "shanghai", "lhasa", "")),
                                Map.of()));
        long[] ids = in.sparse().get("city");
        assertThat(ids[0]).isBetween(1L, 99L);
        assertThat(ids[1]).isBetween(1L, 99L).isNotEqualTo(ids[0]);
        assertThat(ids[2]).isEqualTo(SparseSpec.OOV);
        assertThat(ids[3]).isEqualTo(SparseSpec.OOV);
    }

    @Test
    void multiValuedFieldsKeepOneIdPerValueInOrder() {
        ModelInput in =
                ok(
                        new RawFeatures(
                                Map.of(),
                                Map.of("tags", List.of("noodles", "rare-tag", "spicy", "noodles")),
                                Map.of()));
        long[] ids = in.sparse().get("tags");
        assertThat(ids).hasSize(4);
        assertThat(ids[0]).isEqualTo(ids[3]).isNotEqualTo(SparseSpec.OOV);
        assertThat(ids[1]).isEqualTo(SparseSpec.OOV);
    }

    @Test
    void hashingIsFieldAwareAndSeeded() {
        long inCity = SparseSpec.fingerprint("city", "beijing", SEED);
        assertThat(SparseSpec.fingerprint("tags", "beijing", SEED)).isNotEqualTo(inCity);
        assertThat(SparseSpec.fingerprint("city", "beijing", SEED + 1)).isNotEqualTo(inCity);
        assertThat(SparseSpec.fingerprint("city", "beijing", SEED)).isEqualTo(inCity);
    }

    @Test
    void embeddingsOfTheWrongDimensionAreRejectedWithAReasonNamingTheFeature() {
        ParseResult<ModelInput> r =
                transform.apply(
                        new RawFeatures(
                                Map.of(), Map.of(), Map.of("user_seq", new float[] {1f, 2f})));
        assertThat(r)
                .isInstanceOfSatisfying(
                        ParseResult.Rejected.class,
                        rej -> {
                            assertThat(rej.reason()).isEqualTo(RejectReason.WRONG_DIMENSION);
                            assertThat(rej.detail()).contains("user_seq").contains("3");
                        });
        assertThat(
                        rejected(
                                new RawFeatures(
                                        Map.of(),
                                        Map.of(),
                                        Map.of("user_seq", new float[] {1f, Float.NaN, 0f}))))
                .isEqualTo(RejectReason.NON_FINITE);
    }

    @Test
    void featuresTheSpecDoesNotNameAreDroppedAndPresentEmbeddingsKept() {
        ModelInput in =
                ok(
                        new RawFeatures(
                                Map.of("unknown", 1.0),
                                Map.of("other", List.of("x")),
                                Map.of(
                                        "user_seq",
                                        new float[] {1f, 2f, 3f},
                                        "other_seq",
                                        new float[] {1f})));
        assertThat(in.dense()).isEmpty();
        assertThat(in.sparse()).isEmpty();
        assertThat(in.embeddings()).containsOnlyKeys("user_seq");
    }

    private float dense(double price) {
        return ok(new RawFeatures(Map.of("price", price), Map.of(), Map.of())).dense().get("price");
    }

    private ModelInput ok(RawFeatures raw) {
        ParseResult<ModelInput> r = transform.apply(raw);
        assertThat(r).isInstanceOf(ParseResult.Ok.class);
        return ((ParseResult.Ok<ModelInput>) r).value();
    }

    private RejectReason rejected(RawFeatures raw) {
        ParseResult<ModelInput> r = transform.apply(raw);
        assertThat(r).isInstanceOf(ParseResult.Rejected.class);
        return ((ParseResult.Rejected<ModelInput>) r).reason();
    }
}
