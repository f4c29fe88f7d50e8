package dev.freshet.bench.local;

import dev.freshet.manifest.Manifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Minimal manifests: only the fields the freshness figures read. */
final class ManifestsForTest {

    private ManifestsForTest() {}

    static Manifest version(long v, long createdAtMillis, long newestEventMillis) {
        return new Manifest(
                Manifest.FORMAT,
                "m",
                v,
                "c" + v,
                Instant.ofEpochMilli(createdAtMillis).toString(),
                v > 1 ? v - 1 : null,
                List.of(),
                new Manifest.Lineage(
                        "samples",
                        Map.of(0, v * 100),
                        Manifest.Counts.ZERO,
                        Manifest.Counts.ZERO,
                        null,
                        newestEventMillis,
                        "s",
                        "c",
                        v),
                List.of(),
                Map.of(),
                null);
    }
}
