package dev.freshet.reliability.faults;

import dev.freshet.manifest.Manifest;
import dev.freshet.store.ObjectStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Catches the trainer in the middle of uploading a version: a version directory with files and no
 * manifest yet (the manifest goes last). Directories left that way by an earlier kill are known
 * leftovers and do not count.
 */
final class UploadSpotter {

    private final ObjectStore store;
    private final String prefix;
    private final Set<Long> leftovers = new HashSet<>();

    UploadSpotter(ObjectStore store, String model) {
        this.store = store;
        this.prefix = "models/" + model + "/versions/";
    }

    /** The version being uploaded right now, once one is seen within {@code timeout}. */
    Optional<Long> awaitUpload(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Optional<Long> partial = incomplete();
                if (partial.isPresent()) {
                    leftovers.add(partial.get());
                    return partial;
                }
            } catch (RuntimeException e) {
                // S3 restarting after an earlier fault: look again.
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    private Optional<Long> incomplete() {
        Map<Long, Boolean> hasManifest = new HashMap<>();
        for (String key : store.list(prefix)) {
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                continue;
            }
            long version = Long.parseLong(rest.substring(0, slash));
            boolean manifest = rest.endsWith("/" + Manifest.FILE);
            hasManifest.merge(version, manifest, Boolean::logicalOr);
        }
        return hasManifest.entrySet().stream()
                .filter(e -> !e.getValue() && !leftovers.contains(e.getKey()))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
