package dev.freshet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were measured on. */
public record MachineFacts(int cores, String cpuModel, String jdk, String memTotal, String os) {

    public static MachineFacts collect() {
        return new MachineFacts(
                Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name"),
                System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.runtime.version"),
                procField("/proc/meminfo", "MemTotal"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    /** One line for a report: "2 cores (AMD EPYC ...), 24 GiB, OpenJDK 17.0.15". */
    public String line() {
        String mem = memTotal;
        String[] parts = memTotal.split("\\s+");
        if (parts.length == 2 && parts[1].equals("kB")) {
            mem =
                    String.format(
                            java.util.Locale.ROOT,
                            "%.0f GiB",
                            Long.parseLong(parts[0]) / 1048576.0);
        }
        return String.format(
                java.util.Locale.ROOT, "%d cores (%s), %s, %s", cores, cpuModel, mem, jdk);
    }

    /**
     * Which build of the job is measured: the freshet-flink-jobs jar on the classpath (modified
     * time and SHA-256 prefix), and any classpath entries placed ahead of the benchmark's own
     * classes (how a what-if experiment overrides a class).
     */
    static String codeUnderTest() {
        String[] entries = System.getProperty("java.class.path").split(java.io.File.pathSeparator);
        StringBuilder sb = new StringBuilder();
        for (String e : entries) {
            if (e.contains("freshet-flink-jobs")) {
                Path jar = Path.of(e);
                try {
                    byte[] digest =
                            java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(Files.readAllBytes(jar));
                    sb.append(jar.getFileName())
                            .append(" (modified ")
                            .append(Files.getLastModifiedTime(jar))
                            .append(", sha256 ")
                            .append(java.util.HexFormat.of().formatHex(digest).substring(0, 12))
                            .append(')');
                } catch (IOException | java.security.NoSuchAlgorithmException ex) {
                    sb.append(jar.getFileName());
                }
            }
        }
        for (String e : entries) {
            if (e.contains("bench") && e.endsWith("classes")) {
                break;
            }
            sb.append("; OVERRIDDEN by ").append(e);
        }
        return sb.toString();
    }

    /** The 1-minute load average, or -1 where unknown. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String procField(String file, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }
}
