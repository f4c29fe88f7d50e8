package dev.freshet.reliability.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What the kernel says about one process, from {@code /proc/PID} (Linux only). */
final class ProcessProbe {

    /**
     * Resident set, threads and open file descriptors at one moment; {@code stateFiles} of the
     * descriptors are the pipeline's RocksDB files, which compaction opens and closes as the join
     * state grows and shrinks.
     */
    record Reading(long rssKib, long threads, long openFiles, long stateFiles) {}

    private final Path proc;

    ProcessProbe(long pid) {
        this(Path.of("/proc", Long.toString(pid)));
    }

    ProcessProbe(Path proc) {
        this.proc = proc;
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/status"));
    }

    Reading read() throws IOException {
        long rss = -1;
        long threads = -1;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = number(line);
            } else if (line.startsWith("Threads:")) {
                threads = number(line);
            }
        }
        long fds = 0;
        long state = 0;
        try (Stream<Path> list = Files.list(proc.resolve("fd"))) {
            for (Path fd : list.toList()) {
                fds++;
                try {
                    if (isRocksDbFile(Files.readSymbolicLink(fd).toString())) {
                        state++;
                    }
                } catch (NoSuchFileException e) {
                    // closed while listed: counted, as the listing saw it
                }
            }
        }
        return new Reading(rss, threads, fds, state);
    }

    /** A file of a Flink RocksDB instance: {@code .../job_<id>_op_<operator>_<uuid>/db/<file>}. */
    static boolean isRocksDbFile(String target) {
        return target.contains("_op_") && target.contains("/db/");
    }

    /**
     * Threads by name with digits dropped ({@code "kafka-producer-network-thread"}, {@code
     * "pool-#-thread-#"}), from {@code /proc/PID/task/*\/comm} (the kernel's 15 characters, native
     * threads included): where a growing count comes from.
     */
    Map<String, Integer> threadsByName() throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    out.merge(name.replaceAll("[0-9]+", "#"), 1, Integer::sum);
                } catch (NoSuchFileException e) {
                    // the thread ended while listed
                }
            }
        }
        return out;
    }

    /**
     * Open descriptors by what they point at: {@code socket}, {@code pipe}, {@code anon_inode:...}
     * or a file's directory with digits dropped (a Kafka partition's segment files, a checkpoint's
     * files): where a growing count comes from.
     */
    Map<String, Integer> openFilesByKind() throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : fds.toList()) {
                String kind;
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    int colon = target.indexOf(':');
                    if (colon > 0 && !target.startsWith("/")) {
                        kind =
                                target.startsWith("anon_inode")
                                        ? target
                                        : target.substring(0, colon);
                    } else {
                        Path parent = Path.of(target).getParent();
                        kind =
                                (parent == null ? target : parent.toString())
                                        .replaceAll("[0-9]+", "#");
                    }
                } catch (NoSuchFileException e) {
                    continue; // closed while listed
                }
                out.merge(kind, 1, Integer::sum);
            }
        }
        return out;
    }

    /** The number in a status line such as {@code "VmRSS:\t 123456 kB"}. */
    private static long number(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
