package dev.freshet.cli.local;

import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.registry.index.ModelEntry;
import dev.freshet.registry.index.ModelRegistry;
import dev.freshet.registry.index.VersionEntry;
import dev.freshet.simulator.SimulatorStats;
import dev.freshet.simulator.TrafficSimulator;
import dev.freshet.trainer.observe.TrainerMetrics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * What a person watching {@code freshet local} wants to see: a status line every few seconds
 * (events in, samples out, the trainer's rate and loss, versions, freshness, the served version)
 * and one line per event that matters (a version published with its gate verdicts, a candidate
 * refused, the replica swapping).
 */
final class ProgressReporter implements AutoCloseable {

    /** Where the figures come from; each may be absent (e.g. no simulator at rate 0). */
    record Sources(
            String model,
            Supplier<OutputCounter.Counts> output,
            Supplier<TrainerMetrics.Snapshot> trainer,
            ModelRegistry registry,
            Supplier<Long> servedVersion,
            Optional<TrafficSimulator> simulator) {}

    private final Sources sources;
    private final PrintWriter out;
    private final Duration every;
    private final Thread thread;
    private final long started = System.nanoTime();
    private final Set<Long> seenVersions = new HashSet<>();
    private final Set<String> seenCandidates = new HashSet<>();
    private Long lastServed;
    private final String earlier;
    private volatile boolean running = true;

    ProgressReporter(Sources sources, PrintWriter out, Duration every) {
        this.sources = sources;
        this.out = out;
        this.every = every;
        this.thread = new Thread(this::run, "freshet-local-progress");
        thread.setDaemon(true);
        // What the bucket held before this run is summed up, not listed.
        Optional<ModelEntry> before = sources.registry().snapshot().model(sources.model());
        before.ifPresent(
                m -> {
                    seenVersions.addAll(m.versions().keySet());
                    m.candidates().forEach(c -> seenCandidates.add(c.candidate()));
                });
        earlier =
                before.filter(m -> !m.versions().isEmpty())
                        .map(
                                m ->
                                        String.format(
                                                "registry   %d versions from earlier runs, newest"
                                                        + " %d",
                                                m.versions().size(), m.versions().lastKey()))
                        .orElse(null);
    }

    void start() {
        if (earlier != null) {
            print(earlier);
        }
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            report();
        }
    }

    /** Prints what changed since the last call, then the status line. */
    synchronized void report() {
        sources.registry().snapshot().model(sources.model()).ifPresent(this::reportVersions);
        Long served = sources.servedVersion().get();
        if (served != null && !served.equals(lastServed)) {
            print("serving    the replica now serves version " + served);
            lastServed = served;
        }
        print(statusLine());
    }

    private void reportVersions(ModelEntry model) {
        for (VersionEntry v : model.versions().values()) {
            if (seenVersions.add(v.version())) {
                print(versionLine(v.manifest()));
            }
        }
        for (Manifest c : model.candidates()) {
            if (seenCandidates.add(c.candidate())) {
                print("rejected   candidate " + c.candidate() + "  gates: " + gates(c));
            }
        }
    }

    static String versionLine(Manifest m) {
        StringBuilder line =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "published  version %d  gates: %s  ",
                                m.version(),
                                gates(m)));
        StringJoiner auc = new StringJoiner(" ", "AUC ", "  ");
        for (Map.Entry<String, TaskMetrics> e : m.metrics().entrySet()) {
            if (!Double.isNaN(e.getValue().auc())) {
                auc.add(String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue().auc()));
            }
        }
        line.append(auc);
        line.append(
                String.format(Locale.ROOT, "samples +%,d", m.lineage().sinceParent().trained()));
        freshness(m)
                .ifPresent(
                        f ->
                                line.append(
                                        String.format(
                                                Locale.ROOT,
                                                "  freshness %.0f s",
                                                f.toMillis() / 1000.0)));
        return line.toString();
    }

    /** Created minus the newest event the version learned from. */
    static Optional<Duration> freshness(Manifest m) {
        if (m.lineage().maxEventTime() == null || m.createdAt() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    Duration.between(
                            Instant.ofEpochMilli(m.lineage().maxEventTime()),
                            Instant.parse(m.createdAt())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String gates(Manifest m) {
        StringJoiner j = new StringJoiner(", ");
        for (CheckResult c : m.gates()) {
            j.add(c.name() + " " + c.verdict().name().toLowerCase(Locale.ROOT));
        }
        return j.toString();
    }

    String statusLine() {
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "[%02d:%02d:%02d] ",
                                seconds / 3600,
                                seconds / 60 % 60,
                                seconds % 60));
        sources.simulator()
                .ifPresent(
                        sim -> {
                            SimulatorStats st = sim.stats();
                            s.append(
                                    String.format(
                                            Locale.ROOT,
                                            "in %,d impr + %,d eng  ",
                                            st.impressions(),
                                            st.engagements()));
                        });
        OutputCounter.Counts o = sources.output().get();
        s.append(
                String.format(
                        Locale.ROOT,
                        "samples %,d (dlq %,d, late %,d)  ",
                        o.samples(),
                        o.deadLetters(),
                        o.lateEngagements()));
        TrainerMetrics.Snapshot t = sources.trainer().get();
        s.append(
                String.format(
                        Locale.ROOT,
                        "trainer %,.0f/s loss %s lag %,d  versions %d",
                        t.samplesPerSecond(),
                        Double.isNaN(t.loss()) ? "-" : String.format(Locale.ROOT, "%.4f", t.loss()),
                        t.lag(),
                        t.versionsPublished()));
        if (t.candidatesRejected() > 0) {
            s.append(String.format(Locale.ROOT, " (%d rejected)", t.candidatesRejected()));
        }
        if (t.publishingHalted()) {
            s.append(" PUBLISHING HALTED");
        }
        if (!Double.isNaN(t.freshnessSeconds())) {
            s.append(String.format(Locale.ROOT, "  freshness %.0f s", t.freshnessSeconds()));
        }
        Long served = sources.servedVersion().get();
        s.append("  serving ").append(served == null ? "-" : "v" + served);
        return s.toString();
    }

    private void print(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
