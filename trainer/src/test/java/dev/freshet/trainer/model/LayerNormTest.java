package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** (x - mean) / sqrt(biased variance + 1e-5) * gain + bias over the last axis. */
class LayerNormTest {

    @Test
    void matchesFloat64ReferenceAndFiniteDifferences() {
        int b = 4;
        int d = 6;
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            LayerNorm norm = new LayerNorm(params, "norm", d);
            params.initialize(m, new SplittableRandom(61));
            GradientCheck.randomize(params, new SplittableRandom(62));
            // Rows with different offsets and scales: the mean and variance must be per row. Row 2
            // has a variance of about 3e-5, so ε = 1e-5 visibly shapes its output.
            double[] scale = {1, 2, 0.01, 3};
            float[] x = GradientCheck.uniform(new SplittableRandom(63), b * d, -1, 1);
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) (x[i * d + j] * scale[i] + 2 * i - 3);
                }
            }
            NDArray input = m.create(x, new Shape(b, d));

            GradientCheck.check("LayerNorm", params)
                    .input("x", input)
                    .run(
                            () -> norm.forward(input),
                            new Shape(b, d),
                            (v, k) -> Float64Reference.layerNorm(v, "norm", v.get("x"), b, d));
        }
    }
}
