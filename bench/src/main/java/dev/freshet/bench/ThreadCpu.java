package dev.freshet.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time per thread of another process, from {@code /proc/<pid>/task}: Java threads (Flink names
 * task threads after their operator chain, cut to 15 characters by Linux) and the JVM's own (GC,
 * JIT compilers), which a Java profiler does not sample. Linux only; empty elsewhere.
 */
final class ThreadCpu {

    /** Clock ticks per second of /proc stat times (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private ThreadCpu() {}

    /** Thread id -> (name, CPU ticks) right now. */
    static Map<String, Map.Entry<String, Long>> snapshot(long pid) {
        Map<String, Map.Entry<String, Long>> out = new HashMap<>();
        try (DirectoryStream<Path> tasks =
                Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.put(task.getFileName().toString(), Map.entry(name, ticks));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // not Linux, or the process is gone
        }
        return out;
    }

    /** CPU seconds per kind of thread between two snapshots, largest first. */
    static Map<String, Double> diff(
            Map<String, Map.Entry<String, Long>> before,
            Map<String, Map.Entry<String, Long>> after) {
        Map<String, Double> byGroup = new HashMap<>();
        for (Map.Entry<String, Map.Entry<String, Long>> e : after.entrySet()) {
            Map.Entry<String, Long> b = before.get(e.getKey());
            long ticks = e.getValue().getValue() - (b == null ? 0 : b.getValue());
            if (ticks > 0) {
                byGroup.merge(group(e.getValue().getKey()), ticks / TICKS, Double::sum);
            }
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    static String format(Map<String, Double> cpu, int top) {
        StringBuilder sb = new StringBuilder();
        double other = 0;
        int i = 0;
        for (Map.Entry<String, Double> e : cpu.entrySet()) {
            if (i++ < top) {
                sb.append(sb.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()));
            } else {
                other += e.getValue();
            }
        }
        if (other > 0) {
            sb.append(String.format(Locale.ROOT, ", other %.1f", other));
        }
        return sb.toString();
    }

    private static String group(String name) {
        String g = name.replaceAll("#\\d+", "").replaceAll("\\d+$", "").trim();
        return g.startsWith("GC Thread") || g.startsWith("G1 ")
                ? "GC"
                : g.startsWith("C1 Compiler") || g.startsWith("C2 Compiler")
                        ? "JIT"
                        : "`" + g + "`";
    }
}
