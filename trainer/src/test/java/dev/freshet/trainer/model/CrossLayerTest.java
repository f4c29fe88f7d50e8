package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** x_{l+1} = x0 ⊙ (W x_l + b) + x_l, full rank and low rank, against the float64 reference. */
class CrossLayerTest {

    private static final int B = 4;

    @Test
    void fullRankMatchesFloat64ReferenceAndFiniteDifferences() {
        int n = 5;
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            CrossLayer layer = new CrossLayer(params, "cross.0", n, 0);
            params.initialize(m, new SplittableRandom(21));
            GradientCheck.randomize(params, new SplittableRandom(22));
            assertThat(params.count()).isEqualTo((long) n * n + n);
            // x0 and x_l differ so the check tells the two operands apart.
            NDArray x0 =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(23), B * n, -1, 1),
                            new Shape(B, n));
            NDArray xl =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(24), B * n, -1, 1),
                            new Shape(B, n));

            GradientCheck.check("CrossLayer(rank 0)", params)
                    .input("x0", x0)
                    .input("xl", xl)
                    .run(
                            () -> layer.forward(x0, xl),
                            new Shape(B, n),
                            (v, k) ->
                                    Float64Reference.crossLayer(
                                            v, "cross.0", v.get("x0"), v.get("xl"), B, n, 0, k));
        }
    }

    @Test
    void lowRankMatchesFloat64ReferenceAndFiniteDifferences() {
        int n = 6;
        int rank = 3;
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            CrossLayer layer = new CrossLayer(params, "cross.0", n, rank);
            params.initialize(m, new SplittableRandom(31));
            GradientCheck.randomize(params, new SplittableRandom(32));
            // U [n, r], V [r, n] and the bias [n]: 2 n r + n instead of n² + n.
            assertThat(params.count()).isEqualTo(2L * n * rank + n);
            NDArray x0 =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(33), B * n, -1, 1),
                            new Shape(B, n));
            NDArray xl =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(34), B * n, -1, 1),
                            new Shape(B, n));

            GradientCheck.check("CrossLayer(rank 3)", params)
                    .input("x0", x0)
                    .input("xl", xl)
                    .run(
                            () -> layer.forward(x0, xl),
                            new Shape(B, n),
                            (v, k) ->
                                    Float64Reference.crossLayer(
                                            v, "cross.0", v.get("x0"), v.get("xl"), B, n, rank, k));
        }
    }
}
