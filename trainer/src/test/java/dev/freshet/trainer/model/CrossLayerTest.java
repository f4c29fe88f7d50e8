package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** x_{l+1} = x0 ⊙ (W x_l + b) + x_l, full rank and low rank, against the float64 reference. */
class CrossLayerTest {

    private static final int B = 4;

    @ParameterizedTest(name = "n={0} rank={1}")
    @CsvSource({
        // full rank: W [n, n] and the bias [n]
        "5, 0, 30",
        // low rank: U [n, r], V [r, n] and the bias [n], 2 n r + n instead of n² + n
        "6, 3, 42"
    })
    void matchesFloat64ReferenceAndFiniteDifferences(int n, int rank, long parameters) {
        long seed = 21 + 10L * rank;
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            CrossLayer layer = new CrossLayer(params, "cross.0", n, rank);
            params.initialize(m, new SplittableRandom(seed));
            GradientCheck.randomize(params, new SplittableRandom(seed + 1));
            assertThat(params.count()).isEqualTo(parameters);
            // x0 and x_l differ so the check tells the two operands apart.
            NDArray x0 =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(seed + 2), B * n, -1, 1),
                            new Shape(B, n));
            NDArray xl =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(seed + 3), B * n, -1, 1),
                            new Shape(B, n));

            GradientCheck.check("CrossLayer(rank " + rank + ")", params)
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
