package dev.freshet.trainer.train;

import static dev.freshet.trainer.train.TrainingFixtures.FOUR_TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.engine.TorchRuntime;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a CUDA machine, training on the GPU follows training on the CPU (same initialization, same
 * batches) to float tolerance; bit-identity is only promised on the CPU. Skipped where there is no
 * GPU, as on the CI machine.
 */
class GpuTrainingTest {

    @Test
    void gpuTrainingFollowsCpuTraining() {
        assumeTrue(
                TorchRuntime.engine(1).getGpuCount() > 0,
                "no CUDA GPU visible to PyTorch on this machine");
        SyntheticSamples.Data data =
                SyntheticSamples.generate(2_000, 4, SyntheticSamples.Shape.small());
        ModelLayout layout = ModelLayout.of(data.spec());
        List<Batch> batches = TrainingFixtures.batches(data, FOUR_TASKS, 200);
        try (TrainingSession cpu = new TrainingSession(FOUR_TASKS, layout, 1);
                TrainingSession gpu = new TrainingSession(FOUR_TASKS, layout, 1, Device.gpu())) {
            for (Batch b : batches) {
                cpu.step(b);
                gpu.step(b);
            }
            float[] expected = cpu.predict(batches.get(0));
            float[] actual = gpu.predict(batches.get(0));
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], offset(1e-3f));
            }
        }
    }
}
