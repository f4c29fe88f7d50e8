package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Three independent stacks of two full-rank cross layers on the same x0, concatenated. */
class ParallelCrossNetworkTest {

    private static final int B = 4;
    private static final int N = 5;
    private static final int STACKS = 3;
    private static final int LAYERS = 2;

    @Test
    void matchesFloat64ReferenceAndFiniteDifferences() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            ParallelCrossNetwork net = new ParallelCrossNetwork(params, "cross", N, STACKS, LAYERS);
            params.initialize(m, new SplittableRandom(61));
            GradientCheck.randomize(params, new SplittableRandom(62));
            assertThat(net.outputDim()).isEqualTo(STACKS * N);
            assertThat(params.all())
                    .extracting(Param::name)
                    .hasSize(2 * STACKS * LAYERS)
                    .contains("cross.0.0.weight", "cross.1.1.bias", "cross.2.1.weight");
            NDArray x0 =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(63), B * N, -1, 1),
                            new Shape(B, N));

            GradientCheck.check("ParallelCrossNetwork", params)
                    .input("x0", x0)
                    .run(
                            () -> net.forward(x0),
                            new Shape(B, STACKS * N),
                            (v, k) ->
                                    Float64Reference.parallelCrossNetwork(
                                            v, v.get("x0"), B, N, STACKS, LAYERS, k));
        }
    }
}
