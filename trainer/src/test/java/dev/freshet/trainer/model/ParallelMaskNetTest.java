package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Two MaskNet blocks in parallel, concatenated, one full-rank cross layer on top. */
class ParallelMaskNetTest {

    private static final int B = 4;
    private static final int N = 5;
    private static final int BLOCKS = 2;
    private static final double RATIO = 1.0;
    private static final int WIDTH = 5; // round(5 * 1.0)
    private static final int OUT = 3;
    private static final int CROSS = 1;

    @Test
    void matchesFloat64ReferenceAndFiniteDifferences() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            ParallelMaskNet net = new ParallelMaskNet(params, N, BLOCKS, RATIO, OUT, CROSS);
            params.initialize(m, new SplittableRandom(81));
            GradientCheck.randomize(params, new SplittableRandom(82));
            assertThat(net.outputDim()).isEqualTo(BLOCKS * OUT);
            NDArray x0 =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(83), B * N, -1, 1),
                            new Shape(B, N));

            GradientCheck.check("ParallelMaskNet", params)
                    .input("x0", x0)
                    .run(
                            () -> net.forward(x0),
                            new Shape(B, BLOCKS * OUT),
                            (v, k) ->
                                    Float64Reference.parallelMaskNet(
                                            v, v.get("x0"), B, N, BLOCKS, WIDTH, OUT, CROSS, k));
        }
    }
}
