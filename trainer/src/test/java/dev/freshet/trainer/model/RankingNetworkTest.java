package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.engine.TorchRuntime;
import dev.freshet.trainer.model.GradientCheck.Kinks;
import dev.freshet.trainer.model.GradientCheck.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole dense network on a tiny layout (2 dense, 2 sparse fields of dim 3, a 6-wide embedding
 * feature that is projected to 2 and a 3-wide one that is not) against the float64 reference:
 *
 * <pre>
 * x0 = [ missing(dense) | L2(pooled s0) | L2(pooled s1) | L2(P wide) | L2(narrow) ]   13 wide
 * h  = interaction(x0), [h | x0] if concat_input, [h | BiInteraction(L2(pooled))] if bi_interaction
 * logits = MLP(h)
 * </pre>
 *
 * With user_interest over s1 (target s0), s1's slot is the pooled behaviour sequence of lengths 3,
 * 1 and 2 (padded to 3) instead.
 */
class RankingNetworkTest {

    private static final int B = 3;
    private static final int SEQUENCE = 3;
    private static final float[] SEQUENCE_MASK = {1, 1, 1, 1, 0, 0, 1, 1, 0};

    private static final ModelLayout LAYOUT =
            new ModelLayout(
                    "test",
                    List.of("d0", "d1"),
                    List.of(
                            new ModelLayout.SparseField("s0", 4),
                            new ModelLayout.SparseField("s1", 5)),
                    List.of(
                            new ModelLayout.EmbeddingField("wide", 6),
                            new ModelLayout.EmbeddingField("narrow", 3)));

    private static final String COMMON =
            """
            tasks: [{name: click}, {name: save}]
            embedding_dim: 3
            project_above: 4
            project_dim: 2
            mlp: [5]
            """;

    @Test
    void dcnMatchesFloat64ReferenceAndFiniteDifferences() {
        check(COMMON + "interaction: {type: dcn, cross_layers: 2}\n", 101);
    }

    @Test
    void lowRankDcnWithoutInputConcatMatchesFloat64ReferenceAndFiniteDifferences() {
        check(
                COMMON
                        + "interaction: {type: dcn_low_rank, cross_layers: 2, rank: 2}\n"
                        + "concat_input: false\n",
                111);
    }

    @Test
    void biInteractionBranchMatchesFloat64ReferenceAndFiniteDifferences() {
        check(COMMON + "bi_interaction: true\n", 23);
    }

    @Test
    void biInteractionNeedsTwoSparseFieldsToCross() {
        ModelLayout oneField =
                new ModelLayout(
                        "one",
                        List.of("d0"),
                        List.of(new ModelLayout.SparseField("s0", 4)),
                        List.of());
        ModelConfig config = ModelConfigFile.parse(COMMON + "bi_interaction: true\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new RankingNetwork(oneField, config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bi_interaction: needs at least two sparse fields");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"average", "max", "attention"})
    void userInterestMatchesFloat64ReferenceAndFiniteDifferences(String pooling) {
        check(
                COMMON
                        + "user_interest: {sequence: s1, target: s0, pooling: "
                        + pooling
                        + ", attention_hidden: 4}\n",
                131);
    }

    @Test
    void userInterestFieldsMustBeInTheFeatureSpec() {
        for (String key : List.of("sequence", "target")) {
            String yaml =
                    COMMON
                            + "user_interest: {sequence: s1, target: s0, "
                            + key
                            + ": recent_items}\n";
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> new RankingNetwork(LAYOUT, ModelConfigFile.parse(yaml)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "user_interest." + key + ": 'recent_items' is not a sparse field");
        }
    }

    @Test
    void parallelMaskNetMatchesFloat64ReferenceAndFiniteDifferences() {
        check(
                COMMON
                        + "interaction: {type: masknet_parallel, cross_layers: 1, mask_blocks: 2,"
                        + " projection_ratio: 0.5, mask_output_dim: 3}\n",
                121);
    }

    @Test
    void parallelDcnStacksMatchFloat64ReferenceAndFiniteDifferences() {
        check(
                COMMON + "interaction: {type: dcn_parallel, parallel_stacks: 2, cross_layers: 2}\n",
                131);
    }

    @Test
    void sequentialMaskNetMatchesFloat64ReferenceAndFiniteDifferences() {
        check(
                COMMON
                        + "interaction: {type: masknet_sequential, cross_layers: 1, mask_blocks: 2,"
                        + " projection_ratio: 0.5, mask_output_dim: 3}\n",
                141);
    }

    private static void check(String yaml, long seed) {
        ModelConfig config = ModelConfigFile.parse(yaml);
        int tasks = config.tasks().size();
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            RankingNetwork network = new RankingNetwork(LAYOUT, config);
            assertThat(network.inputDim()).isEqualTo(2 + 2 * 3 + 2 + 3);
            Params params = network.params();
            params.initialize(m, new SplittableRandom(seed));
            GradientCheck.randomize(params, new SplittableRandom(seed + 1));

            SplittableRandom random = new SplittableRandom(seed + 2);
            float[] missingFlags = {0, 1, 0, 0, 1, 0};
            float[] dense = GradientCheck.uniform(random, B * 2, -2, 2);
            for (int i = 0; i < dense.length; i++) {
                dense[i] *= 1 - missingFlags[i]; // the Batch contract: 0 where missing
            }
            NDArray denseArray = m.create(dense, new Shape(B, 2));
            NDArray missing = m.create(missingFlags, new Shape(B, 2));
            NDArray pooled =
                    m.create(GradientCheck.uniform(random, B * 2 * 3, -1, 1), new Shape(B, 2, 3));
            NDArray embeddings =
                    m.create(GradientCheck.uniform(random, B * 9, -1, 1), new Shape(B, 9));
            ModelInputs inputs = new ModelInputs(denseArray, missing, pooled, embeddings);

            GradientCheck.Check check =
                    GradientCheck.check(
                                    "RankingNetwork(" + config.interaction().type() + ")", params)
                            .input("pooled", pooled)
                            .constant("dense", denseArray)
                            .constant("missing", missing)
                            .constant("embeddings", embeddings);
            if (config.userInterest() != null) {
                inputs =
                        inputs.withSequence(
                                GradientCheck.uniform(random, B * SEQUENCE * 3, -1, 1),
                                SEQUENCE_MASK,
                                SEQUENCE,
                                3,
                                true);
                check.input("sequence", inputs.sequence())
                        .constant("sequence_mask", inputs.sequenceMask());
            }
            ModelInputs in = inputs;
            check.run(
                    () -> network.forward(in),
                    new Shape(B, tasks),
                    (v, k) -> reference(v, k, config));
        }
    }

    /** The network's forward in float64, from the class javadoc. */
    private static double[] reference(Values v, Kinks k, ModelConfig config) {
        int d = LAYOUT.dense().size();
        int fields = LAYOUT.sparse().size();
        int dim = config.embeddingDim();
        List<double[]> parts = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        parts.add(Float64Reference.missingValue(v, v.get("dense"), v.get("missing"), B, d));
        widths.add(d);
        // [B, F, dim] row-major is [B, F * dim] with each field's dim values adjacent.
        double[] pooled = v.get("pooled");
        ModelConfig.UserInterest ui = config.userInterest();
        if (ui != null) {
            // s1's slot holds the user-interest vector; the target is s0's pooled row.
            double[] interest =
                    Float64Reference.userInterest(
                            v,
                            ui.pooling().name().toLowerCase(java.util.Locale.ROOT),
                            v.get("sequence"),
                            v.get("sequence_mask"),
                            Float64Reference.columns(pooled, B, fields * dim, 0, dim),
                            B,
                            SEQUENCE,
                            dim,
                            ui.attentionHidden(),
                            k);
            pooled =
                    Float64Reference.concat(
                            B,
                            List.of(
                                    Float64Reference.columns(pooled, B, fields * dim, 0, dim),
                                    interest),
                            List.of(dim, dim));
        }
        parts.add(
                Float64Reference.l2Normalize(pooled, B * fields, dim, Float64Reference.L2_EPSILON));
        widths.add(fields * dim);
        int total = LAYOUT.embeddingWidth();
        int offset = 0;
        for (ModelLayout.EmbeddingField e : LAYOUT.embeddings()) {
            double[] part =
                    Float64Reference.columns(
                            v.get("embeddings"), B, total, offset, offset + e.dim());
            int width = e.dim();
            if (e.dim() > config.projectAbove()) {
                part =
                        Float64Reference.linear(
                                part,
                                B,
                                e.dim(),
                                v.get("projection." + e.name() + ".weight"),
                                config.projectDim(),
                                null);
                width = config.projectDim();
            }
            parts.add(Float64Reference.l2Normalize(part, B, width, Float64Reference.L2_EPSILON));
            widths.add(width);
            offset += e.dim();
        }
        int n = widths.stream().mapToInt(Integer::intValue).sum();
        double[] x0 = Float64Reference.concat(B, parts, widths);

        ModelConfig.Interaction ic = config.interaction();
        double[] h;
        int hWidth;
        switch (ic.type()) {
            case DCN -> {
                h = Float64Reference.crossNetwork(v, "cross", x0, B, n, ic.crossLayers(), 0, k);
                hWidth = n;
            }
            case DCN_LOW_RANK -> {
                h =
                        Float64Reference.crossNetwork(
                                v, "cross", x0, B, n, ic.crossLayers(), ic.rank(), k);
                hWidth = n;
            }
            case MASKNET_PARALLEL -> {
                h =
                        Float64Reference.parallelMaskNet(
                                v,
                                x0,
                                B,
                                n,
                                ic.maskBlocks(),
                                Float64Reference.maskWidth(n, ic.projectionRatio()),
                                ic.maskOutputDim(),
                                ic.crossLayers(),
                                k);
                hWidth = ic.maskBlocks() * ic.maskOutputDim();
            }
            case DCN_PARALLEL -> {
                h =
                        Float64Reference.parallelCrossNetwork(
                                v, x0, B, n, ic.parallelStacks(), ic.crossLayers(), k);
                hWidth = ic.parallelStacks() * n;
            }
            case MASKNET_SEQUENTIAL -> {
                h =
                        Float64Reference.sequentialMaskNet(
                                v,
                                x0,
                                B,
                                n,
                                ic.maskBlocks(),
                                ic.projectionRatio(),
                                ic.maskOutputDim(),
                                ic.crossLayers(),
                                k);
                hWidth = ic.maskOutputDim();
            }
            default -> throw new IllegalStateException();
        }
        if (config.concatInput()) {
            h = Float64Reference.concat(B, List.of(h, x0), List.of(hWidth, n));
            hWidth += n;
        }
        if (config.biInteraction()) {
            double[] bi = Float64Reference.biInteraction(parts.get(1), B, fields, dim);
            h = Float64Reference.concat(B, List.of(h, bi), List.of(hWidth, dim));
            hWidth += dim;
        }
        return Float64Reference.mlp(v, h, B, hWidth, config.mlp(), config.tasks().size(), k);
    }
}
