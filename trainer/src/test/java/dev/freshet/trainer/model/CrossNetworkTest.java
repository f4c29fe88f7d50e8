package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Three stacked cross layers, each with the network's input as x0. */
class CrossNetworkTest {

    private static final int B = 4;
    private static final int N = 5;
    private static final int LAYERS = 3;

    @Test
    void fullRankStackMatchesFloat64ReferenceAndFiniteDifferences() {
        check(0, 41);
    }

    @Test
    void lowRankStackMatchesFloat64ReferenceAndFiniteDifferences() {
        check(2, 51);
    }

    private static void check(int rank, long seed) {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            CrossNetwork network = new CrossNetwork(params, "cross", N, LAYERS, rank);
            params.initialize(m, new SplittableRandom(seed));
            GradientCheck.randomize(params, new SplittableRandom(seed + 1));
            assertThat(network.outputDim()).isEqualTo(N);
            assertThat(params.all()).hasSize(rank == 0 ? 2 * LAYERS : 3 * LAYERS);
            NDArray x0 =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(seed + 2), B * N, -1, 1),
                            new Shape(B, N));

            GradientCheck.check("CrossNetwork(3 layers, rank " + rank + ")", params)
                    .input("x0", x0)
                    .run(
                            () -> network.forward(x0),
                            new Shape(B, N),
                            (v, k) ->
                                    Float64Reference.crossNetwork(
                                            v, "cross", v.get("x0"), B, N, LAYERS, rank, k));
        }
    }
}
