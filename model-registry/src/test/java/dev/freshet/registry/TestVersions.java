package dev.freshet.registry;

import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes versions into a bucket exactly as the trainer's publisher does: files, then manifest. */
public final class TestVersions {

    private TestVersions() {}

    public static Manifest manifest(String model, long version, double auc, boolean passed) {
        Instant created = Instant.parse("2026-11-30T10:00:00Z").plusSeconds(60 * version);
        return new Manifest(
                Manifest.FORMAT,
                model,
                version,
                "cand-" + version,
                created.toString(),
                version > 1 ? version - 1 : null,
                List.of(file("parameters.safetensors", model, version)),
                new Manifest.Lineage(
                        "samples",
                        Map.of(0, 100L * version),
                        new Manifest.Counts(100 * version, 100 * version, 0, 0, 0),
                        new Manifest.Counts(100, 100, 0, 0, 0),
                        created.toEpochMilli() - 20_000,
                        created.toEpochMilli() - 7_000,
                        "spec0123456789ab",
                        "cfg",
                        10 * version),
                List.of(
                        new CheckResult("finite", CheckResult.Verdict.PASS, Map.of(), "all finite"),
                        new CheckResult(
                                "quality",
                                passed ? CheckResult.Verdict.PASS : CheckResult.Verdict.FAIL,
                                Map.of("auc", auc),
                                passed ? "ok" : "worse")),
                Map.of(
                        "click", new TaskMetrics("click", 1000, auc, 0.4, 1.0, 0.1, 0.1),
                        "save",
                                new TaskMetrics(
                                        "save", 1000, Double.NaN, 0.2, Double.NaN, 0.01, 0.0)),
                null);
    }

    static Manifest.FileEntry file(String name, String model, long version) {
        byte[] data = content(model, version);
        return new Manifest.FileEntry(name, Checksums.sha256(data), data.length);
    }

    static byte[] content(String model, long version) {
        return ("weights of " + model + " v" + version).getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes {@code m}: its one file, then its manifest, both written only if absent. */
    public static Manifest publish(ObjectStore store, Manifest m) {
        String prefix = "models/" + m.model() + "/versions/" + m.version() + "/";
        store.putIfAbsent(
                prefix + "parameters.safetensors",
                content(m.model(), m.version()),
                "application/octet-stream");
        if (!store.putIfAbsent(
                prefix + Manifest.FILE, ManifestJson.toBytes(m), "application/json")) {
            throw new IllegalStateException("version taken: " + m.version());
        }
        return m;
    }

    public static Manifest publish(ObjectStore store, String model, long version) {
        return publish(store, manifest(model, version, 0.70 + version / 100.0, true));
    }
}
