package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Average, max and attention pooling of a behaviour sequence against the float64 reference, with
 * gradients. Three samples of lengths 4, 2 and 1 (the last as an empty sequence arrives: its
 * field's absent row alone) padded to 4 with large random values, so any padding that leaks into
 * the result or takes a gradient shows.
 */
class UserInterestTest {

    private static final int B = 3;
    private static final int L = 4;
    private static final int D = 3;
    private static final int HIDDEN = 5;
    private static final float[] MASK = {1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0};

    private static final ModelLayout LAYOUT =
            new ModelLayout(
                    "test",
                    List.of(),
                    List.of(
                            new ModelLayout.SparseField("item", 4),
                            new ModelLayout.SparseField("recent", 4)),
                    List.of());

    private static UserInterest block(Params params, ModelConfig.Pooling pooling) {
        return new UserInterest(
                params,
                LAYOUT,
                new ModelConfig.UserInterest("recent", "item", pooling, 50, HIDDEN),
                D);
    }

    @ParameterizedTest
    @EnumSource(ModelConfig.Pooling.class)
    void matchesFloat64ReferenceWithMaskingAndFiniteDifferences(ModelConfig.Pooling pooling) {
        String name = pooling.name().toLowerCase(Locale.ROOT);
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            UserInterest block = block(params, pooling);
            params.initialize(m, new SplittableRandom(31));
            GradientCheck.randomize(params, new SplittableRandom(32));
            SplittableRandom random = new SplittableRandom(33);
            float[] rows = GradientCheck.uniform(random, B * L * D, -1, 1);
            for (int i = 0; i < MASK.length; i++) {
                for (int j = 0; MASK[i] == 0 && j < D; j++) {
                    rows[i * D + j] = (float) (random.nextDouble() * 10 - 5);
                }
            }
            NDArray sequence = m.create(rows, new Shape(B, L, D));
            NDArray mask = m.create(MASK, new Shape(B, L));
            NDArray target = m.create(GradientCheck.uniform(random, B * D, -1, 1), new Shape(B, D));
            boolean attention = pooling == ModelConfig.Pooling.ATTENTION;

            GradientCheck.Check check =
                    GradientCheck.check("UserInterest(" + name + ")", params)
                            .input("sequence", sequence)
                            .constant("mask", mask);
            if (attention) {
                check.input("target", target);
            }
            check.run(
                    () -> block.forward(sequence, mask, target),
                    new Shape(B, D),
                    (v, k) ->
                            Float64Reference.userInterest(
                                    v,
                                    name,
                                    v.get("sequence"),
                                    v.get("mask"),
                                    attention ? v.get("target") : null,
                                    B,
                                    L,
                                    D,
                                    HIDDEN,
                                    k));
            assertThat(params.all()).hasSize(attention ? 3 : 0);
        }
    }

    /**
     * Rows [1, 2], [3, 4] and padding [9, 9]; a lone element; any pooling of one row is the row.
     */
    @ParameterizedTest
    @EnumSource(ModelConfig.Pooling.class)
    void paddingNeverCountsAndOneElementIsItself(ModelConfig.Pooling pooling) {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            UserInterest block =
                    new UserInterest(
                            params,
                            LAYOUT,
                            new ModelConfig.UserInterest("recent", "item", pooling, 50, HIDDEN),
                            2);
            params.initialize(m, new SplittableRandom(3));
            NDArray sequence =
                    m.create(new float[] {1, 2, 3, 4, 9, 9, 5, -6, 9, 9, 9, 9}, new Shape(2, 3, 2));
            NDArray mask = m.create(new float[] {1, 1, 0, 1, 0, 0}, new Shape(2, 3));
            NDArray target = m.create(new float[] {0.5f, 0.5f, 1, 1}, new Shape(2, 2));

            float[] u = block.forward(sequence, mask, target).toFloatArray();

            assertThat(u[2]).isCloseTo(5, within(1e-6f));
            assertThat(u[3]).isCloseTo(-6, within(1e-6f));
            switch (pooling) {
                case AVERAGE -> assertThat(new float[] {u[0], u[1]}).containsExactly(2f, 3f);
                case MAX -> assertThat(new float[] {u[0], u[1]}).containsExactly(3f, 4f);
                case ATTENTION -> {
                    // a convex combination of [1, 2] and [3, 4]: on the segment between them
                    assertThat(u[0]).isBetween(1f, 3f);
                    assertThat(u[1] - u[0]).isCloseTo(1f, within(1e-5f));
                }
            }
        }
    }
}
