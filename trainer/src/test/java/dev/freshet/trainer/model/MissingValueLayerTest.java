package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** x' = x (1 - m) + m δ against the float64 reference, with gradients. */
class MissingValueLayerTest {

    private static final int B = 3;
    private static final int D = 4;

    /** Row 0 has two missing values, row 1 none, row 2 all. */
    private static final float[] MISSING = {0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1};

    @Test
    void matchesFloat64ReferenceAndFiniteDifferences() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            MissingValueLayer layer = new MissingValueLayer(params, D);
            params.initialize(m, new SplittableRandom(1));
            GradientCheck.randomize(params, new SplittableRandom(2));
            // Values under a missing flag are non-zero on purpose: the layer must ignore them.
            NDArray x =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(3), B * D, -2, 2),
                            new Shape(B, D));
            NDArray missing = m.create(MISSING, new Shape(B, D));

            GradientCheck.check("MissingValueLayer", params)
                    .input("x", x)
                    .constant("missing", missing)
                    .run(
                            () -> layer.forward(x, missing),
                            new Shape(B, D),
                            (v, k) ->
                                    Float64Reference.missingValue(
                                            v, v.get("x"), v.get("missing"), B, D));
        }
    }

    @Test
    void missingValuesTakeTheLearnedDefaultAndPassNoGradientToTheValue() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            MissingValueLayer layer = new MissingValueLayer(params, 2);
            params.initialize(m, new SplittableRandom(1));
            params.all().get(0).set(new float[] {0.25f, -0.75f});
            NDArray x = m.create(new float[] {5f, 7f}, new Shape(1, 2));
            x.setRequiresGradient(true);
            NDArray missing = m.create(new float[] {1f, 0f}, new Shape(1, 2));
            float[] out;
            try (var collector = TorchRuntime.engine(1).newGradientCollector()) {
                NDArray y = layer.forward(x, missing);
                out = y.toFloatArray();
                collector.backward(y.sum());
            }
            assertThat(out).containsExactly(0.25f, 7f);
            assertThat(x.getGradient().toFloatArray()).containsExactly(0f, 1f);
            assertThat(params.all().get(0).array().getGradient().toFloatArray())
                    .containsExactly(1f, 0f);
        }
    }
}
