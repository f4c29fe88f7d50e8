package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** x / sqrt(||x||² + ε) along the last axis against the float64 reference, with gradients. */
class L2NormalizeTest {

    @Test
    void matchesFloat64ReferenceOnAPooledBlock() {
        // [B, F, dim] as RankingNetwork feeds it: each (sample, field) row is normalized alone.
        int b = 3;
        int f = 2;
        int dim = 4;
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            NDArray x =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(11), b * f * dim, -2, 2),
                            new Shape(b, f, dim));
            GradientCheck.check("L2Normalize", new Params())
                    .input("x", x)
                    .run(
                            () -> L2Normalize.forward(x),
                            new Shape(b, f, dim),
                            (v, k) ->
                                    Float64Reference.l2Normalize(
                                            v.get("x"), b * f, dim, Float64Reference.L2_EPSILON));
        }
    }

    @Test
    void matchesFloat64ReferenceOnAMatrix() {
        int b = 4;
        int dim = 5;
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            NDArray x =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(12), b * dim, -3, 3),
                            new Shape(b, dim));
            GradientCheck.check("L2Normalize", new Params())
                    .input("x", x)
                    .run(
                            () -> L2Normalize.forward(x),
                            new Shape(b, dim),
                            (v, k) ->
                                    Float64Reference.l2Normalize(
                                            v.get("x"), b, dim, Float64Reference.L2_EPSILON));
        }
    }

    /**
     * At x = 0 the output is 0 and ε keeps the gradient finite: d(x / sqrt(||x||² + ε))/dx = I /
     * sqrt(ε) there, so dS/dx = r / sqrt(ε) = r * 1e6.
     */
    @Test
    void zeroRowHasZeroOutputAndFiniteGradient() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            NDArray x = m.create(new float[] {0, 0, 0, 3, 4, 0}, new Shape(2, 3));
            x.setRequiresGradient(true);
            float[] r = {0.5f, -1f, 2f, 1f, 1f, 1f};
            float[] out;
            try (var collector = TorchRuntime.engine(1).newGradientCollector()) {
                NDArray y = L2Normalize.forward(x);
                out = y.toFloatArray();
                collector.backward(y.mul(m.create(r, new Shape(2, 3))).sum());
            }
            assertThat(out).containsExactly(new float[] {0, 0, 0, 0.6f, 0.8f, 0}, within(1e-6f));
            float[] g = x.getGradient().toFloatArray();
            double inverseSqrtEpsilon = 1 / Math.sqrt(Float64Reference.L2_EPSILON);
            for (int j = 0; j < 3; j++) {
                assertThat((double) g[j])
                        .as("gradient at the zero row, coordinate %d", j)
                        .isCloseTo(r[j] * inverseSqrtEpsilon, within(1e-3 * inverseSqrtEpsilon));
            }
        }
    }
}
