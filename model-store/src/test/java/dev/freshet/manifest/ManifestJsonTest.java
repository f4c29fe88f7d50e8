package dev.freshet.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Manifests survive a write and a read, with and without the {@code training} record. */
class ManifestJsonTest {

    private static final long MIB = 1 << 20;

    @Test
    void aManifestWithItsTrainingRecordRoundTrips() throws Exception {
        Manifest.MemoryBudget budget =
                new Manifest.MemoryBudget(
                        0.6,
                        1000 * MIB,
                        600 * MIB,
                        356 * MIB,
                        List.of(
                                new Manifest.Probe(256, 356 * MIB, true),
                                new Manifest.Probe(512, 612 * MIB, false)));
        Manifest m = manifest(new Manifest.Training(256, budget));

        byte[] json = ManifestJson.toBytes(m);

        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"training\"", "\"batch_size\" : 256", "\"memory_budget\"")
                .contains("\"budget_bytes\" : " + 600 * MIB, "\"fits\" : false");
        assertThat(ManifestJson.parse(json)).isEqualTo(m);
    }

    @Test
    void withoutABudgetOnlyTheBatchSizeIsWritten() throws Exception {
        Manifest m = manifest(new Manifest.Training(512, null));

        byte[] json = ManifestJson.toBytes(m);

        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"batch_size\" : 512")
                .doesNotContain("memory_budget");
        assertThat(ManifestJson.parse(json)).isEqualTo(m);
    }

    @Test
    void aManifestWithoutTrainingNeitherWritesNorNeedsTheField() throws Exception {
        Manifest m = manifest(null);

        byte[] json = ManifestJson.toBytes(m);

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("training");
        Manifest read = ManifestJson.parse(json);
        assertThat(read).isEqualTo(m);
        assertThat(read.training()).isNull();
    }

    @Test
    void withVersionAndWithParentKeepTheTrainingRecord() {
        Manifest.Training training = new Manifest.Training(128, null);
        Manifest m = manifest(training);

        assertThat(m.withVersion(9).training()).isEqualTo(training);
        assertThat(m.withParent(4L, Manifest.Counts.ZERO).training()).isEqualTo(training);
    }

    private static Manifest manifest(Manifest.Training training) {
        Manifest.Counts counts = new Manifest.Counts(100, 98, 1, 1, 0);
        return new Manifest(
                Manifest.FORMAT,
                "ranking",
                3,
                "000000000004-1",
                "2026-12-01T00:00:00Z",
                2L,
                List.of(new Manifest.FileEntry("parameters.safetensors", "ab12", 10)),
                new Manifest.Lineage(
                        "samples", Map.of(0, 100L), counts, counts, 1L, 2L, "spec1", "hash1", 4),
                List.of(CheckResult.of("finite", true, Map.of("bit_identical", true), "ok")),
                Map.of("click", new TaskMetrics("click", 98, 0.7, 0.5, 1.0, 0.2, 0.2)),
                new Manifest.Hit("click", 3, 0.5, 10),
                training);
    }
}
