package dev.freshet.trainer.memory;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory a training run is judged against, as the paper's constraint has it: GPU memory on a
 * GPU; on the CPU, this process's resident memory (heap, native tensors and the embedding tables
 * alike) against the machine's memory, or the container's limit when that is smaller.
 */
public interface DeviceMemory {

    /** The device's memory in bytes. */
    long total();

    /** Starts a new measurement: {@link #peak} counts from here. */
    void resetPeak();

    /** Takes a reading; called after each training step (a no-op where the OS keeps the peak). */
    void sample();

    /** The highest memory in use since {@link #resetPeak}, in bytes. */
    long peak();

    static DeviceMemory of(Device device) {
        return device.isGpu() ? new Gpu(device) : new ProcessResident();
    }

    /**
     * The kernel's high-water mark of this process's resident set ({@code VmHWM}), which it resets
     * on request ({@code /proc/self/clear_refs} = 5), so no reading can miss a short spike.
     */
    final class ProcessResident implements DeviceMemory {

        private static final Logger LOG = LoggerFactory.getLogger(ProcessResident.class);
        private static final Path STATUS = Path.of("/proc/self/status");
        private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
        private static final Path MEMINFO = Path.of("/proc/meminfo");
        private static final Path CGROUP_LIMIT = Path.of("/sys/fs/cgroup/memory.max");

        @Override
        public long total() {
            long machine = kib(MEMINFO, "MemTotal:");
            try {
                String limit = Files.readString(CGROUP_LIMIT).trim();
                if (!limit.equals("max")) {
                    return Math.min(machine, Long.parseLong(limit));
                }
            } catch (IOException | NumberFormatException e) {
                // No cgroup v2 limit to respect: the machine's memory is the ceiling.
            }
            return machine;
        }

        @Override
        public void resetPeak() {
            try {
                Files.writeString(CLEAR_REFS, "5");
            } catch (IOException e) {
                LOG.warn(
                        "Cannot reset the resident-memory peak ({}); peaks cover the whole process",
                        e.toString());
            }
        }

        @Override
        public void sample() {}

        @Override
        public long peak() {
            return kib(STATUS, "VmHWM:");
        }

        private static long kib(Path file, String key) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith(key)) {
                        String value = line.substring(key.length()).replace("kB", "").trim();
                        return Long.parseLong(value) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException("cannot read " + key + " from " + file, e);
            }
            throw new IllegalStateException(file + " has no " + key);
        }
    }

    /** A CUDA device's used memory, read after every step; its peak is the highest reading. */
    final class Gpu implements DeviceMemory {

        private final Device device;
        private long peak;

        Gpu(Device device) {
            this.device = device;
        }

        @Override
        public long total() {
            return CudaUtils.getGpuMemory(device).getMax();
        }

        @Override
        public void resetPeak() {
            peak = 0;
            sample();
        }

        @Override
        public void sample() {
            MemoryUsage usage = CudaUtils.getGpuMemory(device);
            peak = Math.max(peak, usage.getCommitted());
        }

        @Override
        public long peak() {
            return peak;
        }
    }
}
