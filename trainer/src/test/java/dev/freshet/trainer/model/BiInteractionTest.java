package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** NFM Bi-Interaction against the pair-by-pair float64 sum, with gradients. */
class BiInteractionTest {

    @Test
    void matchesThePairwiseSumInFloat64() {
        int b = 3;
        int f = 4;
        int d = 5;
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            NDArray e =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(21), b * f * d, -1, 1),
                            new Shape(b, f, d));
            GradientCheck.check("BiInteraction", new Params())
                    .input("e", e)
                    .run(
                            () -> BiInteraction.forward(e),
                            new Shape(b, d),
                            (v, k) -> Float64Reference.biInteraction(v.get("e"), b, f, d));
        }
    }

    @Test
    void oneFieldHasNoPairsAndTwoFieldsGiveTheirProduct() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            NDArray one = m.create(new float[] {1, 2, 3}, new Shape(1, 1, 3));
            NDArray two = m.create(new float[] {1, 2, 3, 4, -5, 0.5f}, new Shape(1, 2, 3));

            assertThat(BiInteraction.forward(one).toFloatArray())
                    .containsExactly(new float[] {0, 0, 0}, within(1e-6f));
            assertThat(BiInteraction.forward(two).toFloatArray())
                    .containsExactly(new float[] {4, -10, 1.5f}, within(1e-6f));
        }
    }
}
