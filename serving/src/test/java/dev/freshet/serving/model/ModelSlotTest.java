package dev.freshet.serving.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.serving.TestModels;
import dev.freshet.trainer.train.TrainingSession;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A swapped-out model is closed only after the last request scoring on it has finished. */
class ModelSlotTest {

    @TempDir Path dir;

    @Test
    void theOldModelStaysOpenWhileLeasedAndClosesAfter() throws Exception {
        try (TrainingSession trainer = TestModels.train(1, 6)) {
            TestModels.writeVersion(trainer, dir, 4);
        }
        ModelLoader loader = new ModelLoader(1, 1e-6);
        LoadedModel one = loader.load(dir, TestModels.manifest(dir, 1));
        LoadedModel two = loader.load(dir, TestModels.manifest(dir, 2));
        try (ModelSlot slot = new ModelSlot()) {
            assertThat(slot.acquire()).isNull();
            slot.swap(one);
            ModelSlot.Lease inFlight = slot.acquire();
            slot.swap(two);

            assertThat(slot.servedVersion()).isEqualTo(2);
            assertThat(one.closed()).isFalse();
            assertThat(inFlight.model().version()).isEqualTo(1);
            inFlight.close();
            assertThat(one.closed()).isTrue();

            try (ModelSlot.Lease lease = slot.acquire()) {
                assertThat(lease.model()).isSameAs(two);
            }
            assertThat(two.closed()).isFalse();
        }
        assertThat(two.closed()).isTrue();
    }

    @Test
    void aVersionThatDoesNotMatchItsManifestIsRefused() throws Exception {
        try (TrainingSession trainer = TestModels.train(1, 6)) {
            TestModels.writeVersion(trainer, dir, 4);
        }
        var manifest = TestModels.manifest(dir, 1);
        java.nio.file.Files.writeString(dir.resolve("metrics.json"), "{\"x\": 1}");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ModelLoader(1, 1e-6).load(dir, manifest))
                .isInstanceOfSatisfying(
                        ModelLoadException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.SIZE_MISMATCH));
        java.nio.file.Files.delete(dir.resolve("feature-spec.json"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ModelLoader(1, 1e-6).load(dir, manifest))
                .isInstanceOfSatisfying(
                        ModelLoadException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.MISSING_FILE));
    }
}
