package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Three MaskNet blocks in series, each masked from x0, then cross layers on the last output:
 * against float64, with and without cross layers on top.
 */
class SequentialMaskNetTest {

    private static final int B = 4;
    private static final int N = 5;
    private static final int BLOCKS = 3;
    private static final double RATIO = 1.5;
    private static final int OUT = 4;

    @Test
    void withCrossLayersMatchesFloat64ReferenceAndFiniteDifferences() {
        check(1, 91);
    }

    @Test
    void withoutCrossLayersMatchesFloat64ReferenceAndFiniteDifferences() {
        check(0, 95);
    }

    @Test
    void laterBlocksMaskThePreviousOutputFromTheFeatureEmbedding() {
        Params params = new Params();
        new SequentialMaskNet(params, N, BLOCKS, RATIO, OUT, 0);
        assertThat(shape(params, "masknet.0.mask.aggregate.weight")).isEqualTo(new Shape(8, N));
        assertThat(shape(params, "masknet.0.mask.project.weight")).isEqualTo(new Shape(N, 8));
        assertThat(shape(params, "masknet.0.hidden.weight")).isEqualTo(new Shape(OUT, N));
        // round(4 * 1.5) = 6 wide, from the 5-wide x0 to the 4-wide output of masknet.0.
        assertThat(shape(params, "masknet.2.mask.aggregate.weight")).isEqualTo(new Shape(6, N));
        assertThat(shape(params, "masknet.2.mask.project.weight")).isEqualTo(new Shape(OUT, 6));
        assertThat(shape(params, "masknet.2.hidden.weight")).isEqualTo(new Shape(OUT, OUT));
        // The previous output is already layer normalized: only the first block normalizes x0.
        assertThat(params.all())
                .filteredOn(p -> p.name().endsWith(".embedding_norm.gain"))
                .extracting(Param::name)
                .containsExactly("masknet.0.embedding_norm.gain");
    }

    private static Shape shape(Params params, String name) {
        return params.all().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow()
                .shape();
    }

    private static void check(int crossLayers, long seed) {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            Params params = new Params();
            SequentialMaskNet net =
                    new SequentialMaskNet(params, N, BLOCKS, RATIO, OUT, crossLayers);
            params.initialize(m, new SplittableRandom(seed));
            GradientCheck.randomize(params, new SplittableRandom(seed + 1));
            assertThat(net.outputDim()).isEqualTo(OUT);
            NDArray x0 =
                    m.create(
                            GradientCheck.uniform(new SplittableRandom(seed + 2), B * N, -1, 1),
                            new Shape(B, N));

            GradientCheck.check("SequentialMaskNet(cross " + crossLayers + ")", params)
                    .input("x0", x0)
                    .run(
                            () -> net.forward(x0),
                            new Shape(B, OUT),
                            (v, k) ->
                                    Float64Reference.sequentialMaskNet(
                                            v,
                                            v.get("x0"),
                                            B,
                                            N,
                                            BLOCKS,
                                            RATIO,
                                            OUT,
                                            crossLayers,
                                            k));
        }
    }
}
