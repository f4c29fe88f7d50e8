package dev.freshet.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.freshet.trainer.engine.TorchRuntime;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.model.Params;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The parameters are views of one flat buffer that {@link DenseAdam} updates in one call: a restore
 * through {@link Param#set} must land in that buffer, and the one flat update must equal Adam on
 * each parameter separately.
 */
class FlatParametersTest {

    @Test
    void setWritesThroughToTheBufferTheOptimizerUpdates() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            Param a = params.declare("a", new Shape(2, 3), Param.Init.XAVIER);
            Param b = params.declare("b", new Shape(4), Param.Init.XAVIER);
            params.initialize(m, new SplittableRandom(5));

            b.set(new float[] {1, 2, 3, 4});
            a.set(new float[] {6, 5, 4, 3, 2, 1});

            assertThat(params.flat().toFloatArray()).containsExactly(6, 5, 4, 3, 2, 1, 1, 2, 3, 4);
            assertThat(a.array().toFloatArray()).containsExactly(6, 5, 4, 3, 2, 1);

            DenseAdam adam = new DenseAdam(m, params, 0.1, 0.9, 0.999, 1e-8);
            step(m, adam, params, new float[] {1, -1, 1, -1, 1, -1}, new float[] {0, 0, 0, 1});
            // Adam's first step moves every weight with a non-zero gradient by lr against it.
            assertThat(a.array().toFloatArray())
                    .usingComparatorWithPrecision(1e-5f)
                    .containsExactly(5.9f, 5.1f, 3.9f, 3.1f, 1.9f, 1.1f);
            assertThat(b.array().toFloatArray())
                    .usingComparatorWithPrecision(1e-5f)
                    .containsExactly(1, 2, 3, 3.9f);
        }
    }

    @Test
    void restoredMomentsMustMatchEachParameter() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            params.declare("a", new Shape(2), Param.Init.ZEROS);
            params.declare("b", new Shape(3), Param.Init.ZEROS);
            params.initialize(m, new SplittableRandom(1));
            DenseAdam adam = new DenseAdam(m, params, 0.1, 0.9, 0.999, 1e-8);

            adam.restore(
                    7,
                    List.of(new float[] {1, 2}, new float[] {3, 4, 5}),
                    List.of(new float[] {6, 7}, new float[] {8, 9, 10}));
            assertThat(adam.firstMoments().get(1).toFloatArray()).containsExactly(3, 4, 5);
            assertThat(adam.secondMoments().get(0).toFloatArray()).containsExactly(6, 7);
            assertThat(adam.steps()).isEqualTo(7);

            assertThatThrownBy(
                            () ->
                                    adam.restore(
                                            1,
                                            List.of(new float[] {1, 2, 3}, new float[] {4, 5}),
                                            List.of(new float[] {1, 2}, new float[] {3, 4, 5})))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a has the wrong size");
        }
    }

    /** Backward of sum(w_i * g_i) leaves exactly g_i as each gradient, then one Adam step. */
    private static void step(NDManager m, DenseAdam adam, Params params, float[]... grads) {
        try (NDManager stepManager = m.newSubManager()) {
            try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray total = null;
                for (int i = 0; i < grads.length; i++) {
                    Param p = params.all().get(i);
                    NDArray term = p.array().mul(stepManager.create(grads[i], p.shape())).sum();
                    total = total == null ? term : total.add(term);
                }
                c.backward(total);
            }
            adam.gradientSquaredNorm(stepManager);
            adam.step(stepManager);
        }
    }
}
