package dev.freshet.trainer.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The trainer's Prometheus meters, behind methods named after what happened in the trainer.
 *
 * <p>Exported series (Prometheus names):
 *
 * <ul>
 *   <li>{@code freshet_trainer_samples_total}, {@code freshet_trainer_steps_total{outcome}}, {@code
 *       freshet_trainer_loss}, {@code freshet_trainer_task_loss{task}}, {@code
 *       freshet_trainer_samples_per_second}, {@code freshet_trainer_freshness_seconds}: {@link
 *       #recordStep}
 *   <li>{@code freshet_trainer_consumer_lag_records}: {@link #lag}
 *   <li>{@code freshet_trainer_quarantined_samples_total{reason}}, {@code
 *       freshet_trainer_rejected_samples_total{reason}}: {@link #quarantined}, {@link #rejected}
 *   <li>{@code freshet_trainer_gate_verdicts_total{check,verdict}}: {@link #gate}
 *   <li>{@code freshet_trainer_last_publish_timestamp_seconds}, {@code
 *       freshet_trainer_versions_published_total}, {@code
 *       freshet_trainer_candidates_rejected_total}, {@code freshet_trainer_publishing_halted},
 *       {@code freshet_trainer_publish_failures_total}
 *   <li>Micrometer's JVM memory, GC, thread, processor and uptime meters, and {@code
 *       process_resident_memory_bytes}
 * </ul>
 *
 * <p>Cheap enough for every training step: fixed meters are registered in the constructor and kept
 * in fields, per-task, per-reason and per-check meters are registered the first time their name is
 * seen and looked up without allocation afterwards. Gauges read volatile fields at scrape time.
 *
 * <p>A skipped step (the update was not applied, e.g. a non-finite loss) only counts in {@code
 * steps_total{outcome="skipped"}}: samples, sample rate, losses and freshness describe the model
 * that is actually being trained, so a trainer that skips every step shows a flat sample count and
 * a growing freshness.
 *
 * <p>Thread-safe: the training loop, the consumer, the publisher and the metrics server may call it
 * concurrently.
 */
public final class TrainerMetrics implements AutoCloseable {

    /** The label value that replaces a reason or check that is not a short code. */
    public static final String OTHER = "other";

    /** Longest reason or check code kept as a label value. */
    static final int MAX_CODE_LENGTH = 40;

    /** Distinct codes per counter family; further ones are counted as {@link #OTHER}. */
    static final int MAX_CODES = 32;

    /** The window of {@code freshet_trainer_samples_per_second}. */
    static final int RATE_WINDOW_SECONDS = 30;

    private static final long NO_EVENT = Long.MIN_VALUE;

    private final InstantSource clock;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final SlidingRate sampleRate;

    private final Counter samples;
    private final Counter stepsApplied;
    private final Counter stepsSkipped;
    private final Counter versionsPublished;
    private final Counter candidatesRejected;
    private final Counter publishFailures;

    private final ConcurrentMap<String, LossCell> taskLosses = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> quarantined = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Verdicts> gateVerdicts = new ConcurrentHashMap<>();

    private final AtomicLong newestEventMillis = new AtomicLong(NO_EVENT);
    private volatile double loss = Double.NaN;
    private volatile long lagRecords;
    private volatile double lastPublishSeconds = Double.NaN;
    private volatile boolean publishingHalted;

    /** Metrics on the system clock. */
    public TrainerMetrics() {
        this(Clock.systemUTC());
    }

    /**
     * @param clock the time source of the sample rate and of freshness (tests pass a fake one)
     */
    public TrainerMetrics(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.sampleRate = new SlidingRate(clock, RATE_WINDOW_SECONDS);

        samples = counter("freshet.trainer.samples", "Samples trained on (applied steps)");
        stepsApplied = steps("applied");
        stepsSkipped = steps("skipped");
        versionsPublished =
                counter("freshet.trainer.versions.published", "Model versions published");
        candidatesRejected =
                counter("freshet.trainer.candidates.rejected", "Candidates rejected by the gate");
        publishFailures =
                counter(
                        "freshet.trainer.publish.failures",
                        "Failed publish attempts (object store unavailable, retried)");

        gauge("freshet.trainer.loss", "Total loss of the last applied step", m -> m.loss);
        gauge(
                "freshet.trainer.samples.per.second",
                "Trained samples per second over the last " + RATE_WINDOW_SECONDS + " s",
                m -> m.sampleRate.perSecond());
        gauge(
                "freshet.trainer.freshness.seconds",
                "Now minus the newest event time trained on (NaN before the first step)",
                TrainerMetrics::freshnessSeconds);
        gauge(
                "freshet.trainer.consumer.lag.records",
                "Records behind the end of the input topic, summed over partitions",
                m -> m.lagRecords);
        gauge(
                "freshet.trainer.last.publish.timestamp.seconds",
                "Epoch seconds of the last published version (NaN before the first)",
                m -> m.lastPublishSeconds);
        gauge(
                "freshet.trainer.publishing.halted",
                "1 while publishing is halted, else 0",
                m -> m.publishingHalted ? 1 : 0);

        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new ProcessMemoryMetrics().bindTo(registry);
    }

    /**
     * Records one training step.
     *
     * @param samples samples in the step's batch, at least 0
     * @param applied whether the update was applied; a skipped step only counts as skipped
     * @param lossTotal the step's total loss
     * @param taskLosses loss per task name, or {@code null}; entries with a {@code null} value are
     *     ignored
     * @param newestEventTimeMillis epoch millis of the newest event in the batch; 0 or less means
     *     unknown and leaves freshness as it was
     */
    public void recordStep(
            int samples,
            boolean applied,
            double lossTotal,
            Map<String, Float> taskLosses,
            long newestEventTimeMillis) {
        requireNonNegative(samples, "samples");
        if (!applied) {
            stepsSkipped.increment();
            return;
        }
        stepsApplied.increment();
        this.samples.increment(samples);
        sampleRate.add(samples);
        loss = lossTotal;
        if (taskLosses != null) {
            for (Map.Entry<String, Float> entry : taskLosses.entrySet()) {
                Float value = entry.getValue();
                if (entry.getKey() != null && value != null) {
                    taskLoss(entry.getKey()).value = value;
                }
            }
        }
        if (newestEventTimeMillis > 0) {
            newestEventMillis.accumulateAndGet(newestEventTimeMillis, Math::max);
        }
    }

    /** Sets the consumer lag, summed over the assigned partitions. */
    public void lag(long records) {
        requireNonNegative(records, "records");
        lagRecords = records;
    }

    /** Counts samples set aside for inspection, e.g. {@code "spec_mismatch"}. */
    public void quarantined(String reason, int samples) {
        requireNonNegative(samples, "samples");
        reasonCounter(
                        quarantined,
                        "freshet.trainer.quarantined.samples",
                        "Samples quarantined, by reason",
                        reason)
                .increment(samples);
    }

    /** Counts samples dropped without training, e.g. {@code "non_finite"}, {@code "loss_spike"}. */
    public void rejected(String reason, int samples) {
        requireNonNegative(samples, "samples");
        reasonCounter(
                        rejected,
                        "freshet.trainer.rejected.samples",
                        "Samples rejected, by reason",
                        reason)
                .increment(samples);
    }

    /** Counts one verdict of a gate check on a candidate model. */
    public void gate(String check, boolean passed) {
        String code = boundedCode(gateVerdicts, check);
        Verdicts verdicts = gateVerdicts.get(code);
        if (verdicts == null) {
            verdicts = gateVerdicts.computeIfAbsent(code, this::registerVerdicts);
        }
        (passed ? verdicts.pass() : verdicts.fail()).increment();
    }

    /**
     * Records a published model version. The version is not a label: one series per version would
     * grow without bound.
     */
    public void published(String version, long epochMillis) {
        Objects.requireNonNull(version, "version");
        lastPublishSeconds = epochMillis / 1000.0;
        versionsPublished.increment();
    }

    /** Counts a candidate the gate rejected. */
    public void candidateRejected() {
        candidatesRejected.increment();
    }

    /** Sets whether publishing is halted (e.g. after repeated gate failures). */
    public void publishingHalted(boolean halted) {
        publishingHalted = halted;
    }

    /** Counts a failed publish attempt that will be retried. */
    public void publishFailures() {
        publishFailures.increment();
    }

    /**
     * The figures a person watching the trainer wants, read without scraping.
     *
     * @param samples samples trained on so far
     * @param samplesPerSecond trained samples per second over the rate window
     * @param loss total loss of the last applied step (NaN before the first)
     * @param freshnessSeconds now minus the newest event time trained on (NaN before the first)
     * @param lag records behind the end of the input topic
     * @param versionsPublished versions published by this process
     * @param candidatesRejected candidates the gate refused in this process
     * @param publishingHalted whether repeated rejections halted publishing
     */
    public record Snapshot(
            long samples,
            double samplesPerSecond,
            double loss,
            double freshnessSeconds,
            long lag,
            long versionsPublished,
            long candidatesRejected,
            boolean publishingHalted) {}

    public Snapshot snapshot() {
        return new Snapshot(
                (long) samples.count(),
                sampleRate.perSecond(),
                loss,
                freshnessSeconds(),
                lagRecords,
                (long) versionsPublished.count(),
                (long) candidatesRejected.count(),
                publishingHalted);
    }

    /** All meters in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }

    /**
     * {@code code} if it is a short code of lower-case letters, digits and underscores, else {@link
     * #OTHER}.
     */
    static String sanitize(String code) {
        if (code == null || code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
            return OTHER;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return OTHER;
            }
        }
        return code;
    }

    private double freshnessSeconds() {
        long newest = newestEventMillis.get();
        return newest == NO_EVENT ? Double.NaN : (clock.millis() - newest) / 1000.0;
    }

    private LossCell taskLoss(String task) {
        LossCell cell = taskLosses.get(task);
        return cell != null ? cell : taskLosses.computeIfAbsent(task, this::registerTaskLoss);
    }

    private LossCell registerTaskLoss(String task) {
        LossCell cell = new LossCell();
        Gauge.builder("freshet.trainer.task.loss", cell, c -> c.value)
                .description("Loss of one task in the last applied step")
                .tag("task", task)
                .strongReference(true)
                .register(registry);
        return cell;
    }

    private Counter reasonCounter(
            ConcurrentMap<String, Counter> counters,
            String name,
            String description,
            String reason) {
        String code = boundedCode(counters, reason);
        Counter counter = counters.get(code);
        if (counter != null) {
            return counter;
        }
        return counters.computeIfAbsent(
                code,
                c ->
                        Counter.builder(name)
                                .description(description)
                                .tag("reason", c)
                                .register(registry));
    }

    private Verdicts registerVerdicts(String check) {
        return new Verdicts(verdict(check, "pass"), verdict(check, "fail"));
    }

    private Counter verdict(String check, String verdict) {
        return Counter.builder("freshet.trainer.gate.verdicts")
                .description("Gate check verdicts on candidate models")
                .tag("check", check)
                .tag("verdict", verdict)
                .register(registry);
    }

    /** The sanitized code, or {@link #OTHER} once a family already holds {@link #MAX_CODES}. */
    private static String boundedCode(Map<String, ?> family, String raw) {
        String code = sanitize(raw);
        return family.containsKey(code) || family.size() < MAX_CODES ? code : OTHER;
    }

    private Counter steps(String outcome) {
        return Counter.builder("freshet.trainer.steps")
                .description("Training steps, by whether the update was applied")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<TrainerMetrics> value) {
        Gauge.builder(name, this, value)
                .description(description)
                .strongReference(true)
                .register(registry);
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }

    /** The latest loss of one task, read by its gauge. */
    private static final class LossCell {
        volatile double value = Double.NaN;
    }

    private record Verdicts(Counter pass, Counter fail) {}
}
