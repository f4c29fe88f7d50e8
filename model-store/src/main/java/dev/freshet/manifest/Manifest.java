package dev.freshet.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The record of one model version, written last (by a conditional PUT) so that a version exists
 * exactly when its manifest does: the sha256 of every file, the lineage (parent, Kafka offsets,
 * sample counts, event-time range, spec version, config hash), every gate check with its inputs,
 * and the progressive metrics at the time it was formed. Also the record of a rejected candidate,
 * kept under {@code rejected/} with its failed checks.
 *
 * @param version the version number, or 0 for a rejected candidate
 * @param parent the version this one continues from, null for the first
 * @param training how the trainer trained it (batch size, memory budget); null in manifests written
 *     before it was recorded, and then absent from the JSON
 */
public record Manifest(
        int format,
        String model,
        long version,
        String candidate,
        String createdAt,
        Long parent,
        List<FileEntry> files,
        Lineage lineage,
        List<CheckResult> gates,
        Map<String, TaskMetrics> metrics,
        Hit hit,
        @JsonInclude(JsonInclude.Include.NON_NULL) Training training) {

    public static final int FORMAT = 1;
    public static final String FILE = "manifest.json";

    /** A manifest without a {@code training} record. */
    public Manifest(
            int format,
            String model,
            long version,
            String candidate,
            String createdAt,
            Long parent,
            List<FileEntry> files,
            Lineage lineage,
            List<CheckResult> gates,
            Map<String, TaskMetrics> metrics,
            Hit hit) {
        this(
                format, model, version, candidate, createdAt, parent, files, lineage, gates,
                metrics, hit, null);
    }

    public Manifest withVersion(long newVersion) {
        return new Manifest(
                format,
                model,
                newVersion,
                candidate,
                createdAt,
                parent,
                files,
                lineage,
                gates,
                metrics,
                hit,
                training);
    }

    /** The same manifest descending from {@code newParent}, whose counts were {@code atParent}. */
    public Manifest withParent(Long newParent, Counts atParent) {
        Lineage l = lineage;
        return new Manifest(
                format,
                model,
                version,
                candidate,
                createdAt,
                newParent,
                files,
                new Lineage(
                        l.topic(),
                        l.offsets(),
                        l.samples(),
                        l.samples().minus(atParent),
                        l.minEventTime(),
                        l.maxEventTime(),
                        l.specVersion(),
                        l.configHash(),
                        l.steps()),
                gates,
                metrics,
                hit,
                training);
    }

    public boolean passed() {
        return gates.stream().noneMatch(CheckResult::blocks);
    }

    /** One artifact of the version and its checksum. */
    public record FileEntry(String name, String sha256, long bytes) {}

    /**
     * Which samples made this version: everything consumed from {@code topic} before {@code
     * offsets} (the next offset per partition), counted cumulatively from the first version and
     * since the parent.
     */
    public record Lineage(
            String topic,
            Map<Integer, Long> offsets,
            Counts samples,
            Counts sinceParent,
            Long minEventTime,
            Long maxEventTime,
            String specVersion,
            String configHash,
            long steps) {}

    /**
     * Samples by fate. consumed = trained + quarantined + rejected + discarded, always.
     *
     * @param trained learned from
     * @param quarantined refused by a gate (loss spike, non-finite) and sent to the dead-letter
     *     topic
     * @param rejected unreadable by the model (dead-lettered too)
     * @param discarded learned from by a state that was rolled back
     */
    public record Counts(
            long consumed, long trained, long quarantined, long rejected, long discarded) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

        public Counts minus(Counts o) {
            return new Counts(
                    consumed - o.consumed,
                    trained - o.trained,
                    quarantined - o.quarantined,
                    rejected - o.rejected,
                    discarded - o.discarded);
        }
    }

    /** HIT@k of the progressive window, when configured. */
    public record Hit(String task, int k, double hitsPerRequest, long requestsWithPositive) {}

    /**
     * How the version was trained.
     *
     * @param batchSize samples per training step
     * @param memoryBudget how {@code batchSize} was picked, or null when it is the configured one
     */
    public record Training(
            int batchSize, @JsonInclude(JsonInclude.Include.NON_NULL) MemoryBudget memoryBudget) {}

    /**
     * The memory budget that picked the batch size: the largest candidate whose measured peak
     * memory stayed under {@code fraction} of the device's memory.
     *
     * @param deviceBytes the device's memory (GPU memory; on the CPU the machine's or the
     *     container's limit)
     * @param budgetBytes {@code fraction x deviceBytes}
     * @param peakBytes the picked batch size's measured peak
     * @param probes every candidate measured, in ascending order
     */
    public record MemoryBudget(
            double fraction,
            long deviceBytes,
            long budgetBytes,
            long peakBytes,
            List<Probe> probes) {

        public MemoryBudget {
            probes = List.copyOf(probes);
        }
    }

    /** One measured batch size: its peak memory and whether that was within the budget. */
    public record Probe(int batchSize, long peakBytes, boolean fits) {}
}
