package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** out = ReLU(LN(W (mask ⊙ LN(x0)))), mask = P ReLU(A x0 + a) + p, against float64. */
class MaskBlockTest {

    private static final int B = 4;
    private static final int N = 6;
    private static final double RATIO = 1.2;
    private static final int WIDTH = 7; // round(6 * 1.2)
    private static final int OUT = 4;

    @Test
    void matchesFloat64ReferenceAndFiniteDifferences() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            MaskBlock block = new MaskBlock(params, "masknet.0", N, RATIO, OUT);
            params.initialize(m, new SplittableRandom(71));
            GradientCheck.randomize(params, new SplittableRandom(72));
            assertThat(params.all())
                    .filteredOn(p -> p.name().equals("masknet.0.mask.aggregate.weight"))
                    .singleElement()
                    .satisfies(p -> assertThat(p.shape()).isEqualTo(new Shape(WIDTH, N)));
            NDArray x0 =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(73), B * N, -1, 1),
                            new Shape(B, N));

            GradientCheck.check("MaskBlock", params)
                    .input("x0", x0)
                    .run(
                            () -> block.forward(x0),
                            new Shape(B, OUT),
                            (v, k) ->
                                    Float64Reference.maskBlock(
                                            v, "masknet.0", v.get("x0"), B, N, WIDTH, OUT, k));
        }
    }
}
