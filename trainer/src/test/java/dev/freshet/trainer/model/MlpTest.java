package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Linear + ReLU per hidden width [5, 4], then 3 task logits, against float64. */
class MlpTest {

    private static final int B = 4;
    private static final int IN = 6;
    private static final List<Integer> HIDDEN = List.of(5, 4);
    private static final int TASKS = 3;

    @Test
    void matchesFloat64ReferenceAndFiniteDifferences() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            Mlp mlp = new Mlp(params, IN, HIDDEN, TASKS);
            params.initialize(m, new SplittableRandom(91));
            GradientCheck.randomize(params, new SplittableRandom(92));
            NDArray x =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(93), B * IN, -1, 1),
                            new Shape(B, IN));

            GradientCheck.check("Mlp", params)
                    .input("x", x)
                    .run(
                            () -> mlp.forward(x),
                            new Shape(B, TASKS),
                            (v, k) -> Float64Reference.mlp(v, v.get("x"), B, IN, HIDDEN, TASKS, k));
        }
    }
}
