package dev.freshet.reliability.faults;

import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.store.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Checks, straight from the bucket, that a version someone was shown is whole: its manifest is
 * there and parses, names this version, and every file it lists is there with the listed size and
 * sha256. Versions are immutable once their manifest exists, so checking after the sighting is as
 * good as checking at it; a check the S3 server's outage interrupts is retried later.
 */
final class VersionAudit {

    private final ObjectStore store;
    private final String prefix;
    private final Set<Long> whole = ConcurrentHashMap.newKeySet();
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    VersionAudit(ObjectStore store, String model) {
        this.store = store;
        this.prefix = "models/" + model + "/versions/";
    }

    /**
     * Someone was shown {@code version} (by {@code who}): audit it now or as soon as S3 answers.
     */
    void sighted(long version, String who) {
        if (whole.contains(version)) {
            return;
        }
        pending.add(version);
        retryPending(who);
    }

    /** Audits what is pending; versions S3 could not be asked about stay pending. */
    void retryPending(String who) {
        for (Long v : List.copyOf(pending)) {
            try {
                audit(v).ifPresentOrElse(
                                problem ->
                                        violations.add(
                                                who + " showed version " + v + ": " + problem),
                                () -> whole.add(v));
                pending.remove(v);
            } catch (RuntimeException e) {
                // S3 down or restarting: ask again on the next round.
            }
        }
    }

    boolean isWhole(long version) {
        return whole.contains(version);
    }

    Set<Long> whole() {
        return Set.copyOf(whole);
    }

    Set<Long> pending() {
        return Set.copyOf(pending);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    /** What is wrong with the version in the bucket, if anything. */
    private Optional<String> audit(long version) {
        String dir = prefix + version + "/";
        Optional<byte[]> bytes = store.get(dir + Manifest.FILE);
        if (bytes.isEmpty()) {
            return Optional.of("no manifest");
        }
        Manifest manifest;
        try {
            manifest = ManifestJson.parse(bytes.get());
        } catch (IOException e) {
            return Optional.of("unreadable manifest: " + e.getMessage());
        }
        if (manifest.version() != version) {
            return Optional.of("manifest names version " + manifest.version());
        }
        if (manifest.files() == null || manifest.files().isEmpty()) {
            return Optional.of("manifest lists no files");
        }
        for (Manifest.FileEntry f : manifest.files()) {
            Optional<byte[]> file = store.get(dir + f.name());
            if (file.isEmpty()) {
                return Optional.of(f.name() + " is missing");
            }
            if (file.get().length != f.bytes()) {
                return Optional.of(
                        f.name()
                                + " has "
                                + file.get().length
                                + " bytes, manifest says "
                                + f.bytes());
            }
            if (!Checksums.sha256(file.get()).equals(f.sha256())) {
                return Optional.of(f.name() + " does not match its sha256");
            }
        }
        return Optional.empty();
    }
}
