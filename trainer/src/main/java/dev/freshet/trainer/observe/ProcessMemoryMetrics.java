package dev.freshet.trainer.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process_resident_memory_bytes}, read from {@code /proc/self/status} at scrape time.
 *
 * <p>Micrometer's JVM binders report heap and direct buffers, but not the native memory that the
 * PyTorch engine allocates; the resident set size covers both, which is what a soak test watches.
 * Only registered where {@code /proc/self/status} is readable (Linux).
 */
final class ProcessMemoryMetrics implements MeterBinder {

    private static final Path STATUS = Path.of("/proc/self/status");

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!Files.isReadable(STATUS)) {
            return;
        }
        Gauge.builder("process.resident.memory", ProcessMemoryMetrics::residentBytes)
                .baseUnit("bytes")
                .description("Resident set size of this process (heap and native memory)")
                .register(registry);
    }

    /** VmRSS in bytes, or NaN if it cannot be read. */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:     123456 kB"
                    String kib = line.substring("VmRSS:".length()).replace("kB", "").trim();
                    return Long.parseLong(kib) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
