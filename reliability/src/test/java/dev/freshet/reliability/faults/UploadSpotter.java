package dev.freshet.reliability.faults;

import dev.freshet.manifest.Manifest;
import dev.freshet.store.ObjectStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Catches the trainer at the start of an upload (its "Uploading ... version N" log line; the
 * manifest goes last, after the 4.7 MB of files), so that a kill lands inside the upload rather
 * than in the seconds between two; and afterwards tells what the kill left of that version.
 */
final class UploadSpotter {

    private static final Pattern UPLOADING =
            Pattern.compile("Uploading " + FaultStack.MODEL + " version (\\d+) ");
    private final Supplier<Path> trainerLog;
    private final ObjectStore store;
    private final String prefix;

    UploadSpotter(Supplier<Path> trainerLog, ObjectStore store, String model) {
        this.trainerLog = trainerLog;
        this.store = store;
        this.prefix = "models/" + model + "/versions/";
    }

    /** The version whose upload starts within {@code timeout}, as soon as it starts. */
    Optional<Long> awaitUpload(Duration timeout) throws InterruptedException {
        Path log = trainerLog.get();
        long from = size(log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long now = size(log);
            if (now > from) {
                Matcher m = UPLOADING.matcher(read(log, from, now));
                if (m.find()) {
                    return Optional.of(Long.parseLong(m.group(1)));
                }
                from = now;
            }
            Thread.sleep(2);
        }
        return Optional.empty();
    }

    /** What is in the bucket for {@code version}: its files and whether the manifest made it. */
    String leftOf(long version) {
        String dir = prefix + version + "/";
        var keys = store.list(dir);
        boolean manifest = keys.contains(dir + Manifest.FILE);
        return manifest
                ? "version " + version + " finished first"
                : "version " + version + " left with " + keys.size() + " files and no manifest";
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path file, long from, long to) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) (to - from)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
