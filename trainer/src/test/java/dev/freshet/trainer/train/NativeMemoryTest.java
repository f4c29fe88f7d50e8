package dev.freshet.trainer.train;

import static dev.freshet.trainer.train.TrainingFixtures.FOUR_TASKS;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Thousands of steps leave native memory where it was after warm-up: every array a step creates is
 * freed with the step's sub-manager (a leak of one small array per step would show as thousands of
 * arrays left in the model's manager and megabytes of resident memory).
 */
class NativeMemoryTest {

    @Test
    void nativeMemoryStaysFlatOverThousandsOfSteps() throws IOException {
        SyntheticSamples.Data data =
                SyntheticSamples.generate(6_400, 8, SyntheticSamples.Shape.small());
        List<Batch> batches = TrainingFixtures.batches(data, FOUR_TASKS, 64);
        try (TrainingSession session =
                new TrainingSession(FOUR_TASKS, ModelLayout.of(data.spec()), 1)) {
            for (int i = 0; i < 800; i++) {
                session.step(batches.get(i % batches.size()));
                session.predict(batches.get(i % batches.size()));
            }
            NDManager manager = session.manager();
            int arraysAfterWarmup = manager.getManagedArrays().size();
            long rssAfterWarmup = residentKiB();
            for (int i = 0; i < 2_400; i++) {
                session.step(batches.get(i % batches.size()));
                if (i % 10 == 0) {
                    session.predict(batches.get(i % batches.size()));
                }
            }
            assertThat(manager.getManagedArrays()).hasSize(arraysAfterWarmup);
            // The heap is fixed and pre-touched (see the pom), so resident memory moves with
            // native memory only. A leaked batch of inputs per step would add ~100 MiB here;
            // allow the allocator's noise only.
            assertThat(residentKiB() - rssAfterWarmup).isLessThan(24 * 1024);
        }
    }

    static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
