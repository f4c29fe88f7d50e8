package dev.freshet.reliability.soak;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long, how hard and how closely to soak, and the bounds the run is judged by; from system
 * properties ({@code -Dsoak.minutes}, {@code soak.warmup}, {@code soak.rate}, {@code
 * soak.sample-seconds}, {@code soak.config}, {@code soak.jvm-flags}), which reliability/pom.xml
 * sets for the quick run and its {@code soak} profile for the long one.
 *
 * @param length the sampled run, warm-up included, from the trainer's first trained sample
 *     (start-up and the pipeline's first windows come before and are not counted)
 * @param warmup the JIT, the allocators and the pools settling once everything works: not judged
 * @param rate simulated impressions per second ({@code --rate})
 * @param every time between samples
 * @param quick the quick config (windows of seconds, a version every 10 s) instead of local's own
 * @param jvmFlags for the stack's JVM
 */
record SoakSettings(
        Duration length,
        Duration warmup,
        double rate,
        Duration every,
        boolean quick,
        List<String> jvmFlags) {

    /**
     * A fixed heap, committed and touched at start: the heap's resident size then cannot change, so
     * RSS growth is memory outside it (PyTorch's native arrays, direct buffers, metaspace, thread
     * stacks, malloc arenas), where a leak is invisible to the GC. A leak on the heap shows in the
     * live heap after collection instead, which the report charts. 3 GiB as LocalStackIT gives the
     * stack; the 6-minute bench peaked at 2.0 GiB RSS with the default (larger) heap.
     */
    static final String DEFAULT_JVM_FLAGS = "-Xms3g -Xmx3g -XX:+AlwaysPreTouch";

    static SoakSettings fromSystemProperties() {
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 3));
        Duration warmup = Duration.ofMinutes(Long.getLong("soak.warmup", 1));
        if (warmup.compareTo(length) >= 0) {
            throw new IllegalArgumentException(
                    "soak.warmup ("
                            + warmup
                            + ") must be shorter than soak.minutes ("
                            + length
                            + ")");
        }
        String config = System.getProperty("soak.config", "quick").strip().toLowerCase(Locale.ROOT);
        if (!config.equals("quick") && !config.equals("local")) {
            throw new IllegalArgumentException("soak.config is quick or local, not " + config);
        }
        return new SoakSettings(
                length,
                warmup,
                Double.parseDouble(System.getProperty("soak.rate", "2000")),
                Duration.ofSeconds(Long.getLong("soak.sample-seconds", 10)),
                config.equals("quick"),
                Arrays.stream(System.getProperty("soak.jvm-flags", DEFAULT_JVM_FLAGS).split("\\s+"))
                        .filter(s -> !s.isEmpty())
                        .toList());
    }

    /** The judged part of the run. */
    Duration measured() {
        return length.minus(warmup);
    }

    SoakThresholds thresholds() {
        return SoakThresholds.forRun(this);
    }
}
