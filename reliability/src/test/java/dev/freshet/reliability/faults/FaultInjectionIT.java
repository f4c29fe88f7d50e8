package dev.freshet.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.ParseResult;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.simulator.KafkaEventSink;
import dev.freshet.simulator.SimulatorConfig;
import dev.freshet.simulator.TrafficSimulator;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.testing.TopicSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack as separate processes under seeded SIGKILLs of the broker, the S3 server, the pipeline,
 * the registry and the trainer while the simulator sends traffic, each restarted after a seeded
 * downtime on its ports and directories, as a supervisor (Kubernetes, compose) would. Afterwards:
 * every due impression has exactly one sample, the newest version's lineage counts every committed
 * sample, no version the registry or the replica ever showed lacked a whole manifest, the replica
 * answered throughout, and nothing exited that was not killed.
 *
 * <p>{@code -Dfaults.rounds=N} (default 1: each target killed once) and {@code -Dfaults.seed}
 * choose the schedule; logs and a report are kept in target/faults.
 */
class FaultInjectionIT {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectionIT.class);
    private static final long SEED = Long.getLong("faults.seed", 20_261_130L);
    private static final int ROUNDS = Integer.getInteger("faults.rounds", 1);
    private static final double RATE = 120;

    /** Delays scaled to the 4-12 s windows, as --delay-scale 0.1 suits the local 30 s-2 m ones. */
    private static final double DELAY_SCALE = 0.013;

    /** Longest window 12 s + lateness 4 s + out-of-orderness, with room. */
    private static final long SETTLE_MILLIS = 30_000;

    private static final Duration FIRST_VERSION = Duration.ofMinutes(4);
    private static final Duration DRAIN = Duration.ofMinutes(4);

    private static final Duration UPLOAD_WAIT = Duration.ofSeconds(30);

    private final List<String> unplanned = new ArrayList<>();
    private UploadSpotter uploads;
    private final List<String> faultLog = new ArrayList<>();

    @Test
    void killNineOfAnyComponentLosesNothingAndShowsNothingHalfMade() throws Exception {
        Path dir = Path.of("target", "faults").toAbsolutePath();
        deleteTree(dir);
        FaultPlan plan = FaultPlan.of(SEED, ROUNDS, Duration.ofSeconds(4), Duration.ofSeconds(14));
        long t0 = System.nanoTime();
        try (FaultStack stack = new FaultStack(dir)) {
            stack.startAll();
            LOG.info("faults: stack up in {} s", seconds(t0));
            TrafficSimulator simulator =
                    TrafficSimulator.start(
                            SimulatorConfig.defaults()
                                    .withSeed(SEED)
                                    .withRate(RATE)
                                    .withDelayScale(DELAY_SCALE),
                            new KafkaEventSink(stack.bootstrapServers()));
            try (S3ObjectStore store = stack.objectStore()) {
                VersionAudit audit = new VersionAudit(store, FaultStack.MODEL);
                uploads =
                        new UploadSpotter(
                                () -> stack.process(Component.TRAINER).log(),
                                store,
                                FaultStack.MODEL);
                AtomicReference<byte[]> impression = new AtomicReference<>();
                try (RegistryWatch registry =
                                new RegistryWatch(stack.registry(), FaultStack.MODEL, audit);
                        ServingWatch serving =
                                new ServingWatch(stack.serving(), impression::get, audit)) {
                    registry.start();
                    serving.start();
                    awaitFirstServed(stack, simulator, impression, serving);
                    LOG.info("faults: first version served after {} s", seconds(t0));
                    for (FaultPlan.Fault fault : plan.faults()) {
                        inject(stack, simulator, fault);
                    }
                    supervise(stack, simulator, Duration.ofSeconds(15), Set.of());
                    simulator.close();
                    LOG.info("faults: traffic stopped: {}", simulator.stats());
                    SampleLedger ledger = awaitRecovered(stack, simulator);
                    Manifest newest = awaitLineage(stack, simulator, store, ledger.samples());
                    serving.close();
                    registry.close();
                    audit.retryPending("final");
                    List<String> badStops = stack.stopAll();
                    String report =
                            report(plan, ledger, newest, audit, registry, serving, badStops, t0);
                    Files.writeString(dir.resolve("report.txt"), report);
                    LOG.info("faults:\n{}", report);

                    assertThat(unplanned).as("processes that exited unkilled").isEmpty();
                    assertThat(ledger.due()).as("impressions due a sample").isGreaterThan(1_000);
                    assertThat(ledger.missing()).as("due impressions without a sample").isEmpty();
                    assertThat(ledger.duplicated()).as("impressions with two samples").isEmpty();
                    assertThat(ledger.unknown()).as("samples of no impression").isEmpty();
                    assertThat(newest.lineage().samples().consumed())
                            .as("newest lineage vs samples committed")
                            .isEqualTo(ledger.samples());
                    assertThat(audit.violations()).as("half-made versions shown").isEmpty();
                    assertThat(audit.pending()).as("versions never audited").isEmpty();
                    assertThat(serving.served()).as("versions served").isNotEmpty();
                    assertThat(serving.failuresAfterFirst())
                            .as("replica answers after its first version")
                            .isEmpty();
                    assertThat(badStops).as("components that did not stop cleanly").isEmpty();
                }
            } finally {
                simulator.close();
            }
        }
    }

    /** Traffic flows until the replica scores with a first version; one impression is kept. */
    private void awaitFirstServed(
            FaultStack stack,
            TrafficSimulator simulator,
            AtomicReference<byte[]> impression,
            ServingWatch serving)
            throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_VERSION.toNanos();
        while (serving.served().isEmpty()) {
            if (impression.get() == null) {
                TopicSnapshot.read(stack.bootstrapServers(), "impressions").stream()
                        .filter(r -> r.value() != null && r.value().length > 0)
                        .map(ConsumerRecord::value)
                        .filter(FaultInjectionIT::isValidImpression)
                        .findFirst()
                        .ifPresent(impression::set);
            }
            assertThat(System.nanoTime())
                    .as("a first version served within %s", FIRST_VERSION)
                    .isLessThan(deadline);
            supervise(stack, simulator, Duration.ofSeconds(1), Set.of());
        }
    }

    private void inject(FaultStack stack, TrafficSimulator simulator, FaultPlan.Fault fault)
            throws InterruptedException {
        supervise(stack, simulator, fault.after(), Set.of());
        Optional<Long> uploading = Optional.empty();
        if (fault.midPublish() != null) {
            uploading = uploads.awaitUpload(UPLOAD_WAIT);
            Thread.sleep(fault.midPublish().toMillis());
        }
        FreshetProcess target = stack.process(fault.target());
        long killedAt = System.nanoTime();
        target.kill();
        supervise(stack, simulator, fault.downtime(), Set.of(fault.target()));
        long startedAt = System.nanoTime();
        stack.start(fault.target());
        String moment = "";
        if (fault.midPublish() != null) {
            moment =
                    uploading
                            .map(
                                    v ->
                                            String.format(
                                                    ", %d ms into an upload: %s",
                                                    fault.midPublish().toMillis(),
                                                    uploads.leftOf(v)))
                            .orElse(", no upload within " + UPLOAD_WAIT.toSeconds() + " s");
        }
        String line =
                String.format(
                        "kill -9 %-8s down %5d ms, ready %6d ms after restart%s",
                        fault.target(),
                        (startedAt - killedAt) / 1_000_000,
                        (System.nanoTime() - startedAt) / 1_000_000,
                        moment);
        faultLog.add(line);
        LOG.info("faults: {}", line);
    }

    /**
     * Waits {@code time} while acting as the supervisor: anything that exited without being killed
     * is recorded (a test failure) and started again so the run can go on and show what else
     * breaks.
     */
    private void supervise(
            FaultStack stack, TrafficSimulator simulator, Duration time, Set<Component> down)
            throws InterruptedException {
        long until = System.nanoTime() + time.toNanos();
        do {
            assertThat(simulator.failure()).as("simulator failure").isNull();
            for (Component c : Component.values()) {
                FreshetProcess p = stack.process(c);
                if (!down.contains(c) && !p.isAlive()) {
                    String what = c + " exited with " + p.exitValue() + ":\n" + p.tail();
                    LOG.error("faults: unplanned exit: {}", what);
                    unplanned.add(what);
                    stack.start(c);
                }
            }
            Thread.sleep(Math.min(200, Math.max(0, (until - System.nanoTime()) / 1_000_000)));
        } while (System.nanoTime() < until);
    }

    /**
     * Waits until every due impression has its sample and no more samples come: recovery is done.
     * Returns the ledger at that point, or the last one when {@link #DRAIN} runs out (the
     * assertions then say what is missing).
     */
    private SampleLedger awaitRecovered(FaultStack stack, TrafficSimulator simulator)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + DRAIN.toNanos();
        SampleLedger last = null;
        while (true) {
            SampleLedger now =
                    SampleLedger.of(
                            TopicSnapshot.read(stack.bootstrapServers(), "impressions"),
                            TopicSnapshot.read(stack.bootstrapServers(), "samples"),
                            SETTLE_MILLIS);
            boolean settled = last != null && last.samples() == now.samples();
            if ((now.missing().isEmpty() && settled) || System.nanoTime() > deadline) {
                LOG.info(
                        "faults: {} samples committed, {} due impressions missing, {} s after"
                                + " traffic stopped",
                        now.samples(),
                        now.missing().size(),
                        seconds(t0));
                return now;
            }
            last = now;
            supervise(stack, simulator, Duration.ofSeconds(5), Set.of());
        }
    }

    /** Waits until the newest published version has trained on every committed sample. */
    private Manifest awaitLineage(
            FaultStack stack, TrafficSimulator simulator, S3ObjectStore store, long committed)
            throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (true) {
            Optional<Manifest> newest = newest(store);
            if (newest.isPresent() && newest.get().lineage().samples().consumed() >= committed) {
                return newest.get();
            }
            assertThat(System.nanoTime())
                    .as(
                            "a version with all %d samples; newest consumed %s",
                            committed, newest.map(m -> m.lineage().samples().consumed()))
                    .isLessThan(deadline);
            supervise(stack, simulator, Duration.ofSeconds(2), Set.of());
        }
    }

    private static Optional<Manifest> newest(S3ObjectStore store) {
        long best = -1;
        String prefix = "models/" + FaultStack.MODEL + "/versions/";
        for (String key : store.list(prefix)) {
            if (key.endsWith("/" + Manifest.FILE)) {
                String v =
                        key.substring(prefix.length(), key.length() - Manifest.FILE.length() - 1);
                best = Math.max(best, Long.parseLong(v));
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        return store.get(prefix + best + "/" + Manifest.FILE)
                .map(
                        bytes -> {
                            try {
                                return ManifestJson.parse(bytes);
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        });
    }

    private String report(
            FaultPlan plan,
            SampleLedger ledger,
            Manifest newest,
            VersionAudit audit,
            RegistryWatch registry,
            ServingWatch serving,
            List<String> badStops,
            long t0) {
        StringBuilder b = new StringBuilder();
        b.append("seed ").append(plan.seed()).append(", ").append(plan.faults().size());
        b.append(" faults, ").append(seconds(t0)).append(" s\n");
        faultLog.forEach(l -> b.append("  ").append(l).append('\n'));
        b.append("unplanned exits: ").append(unplanned.size()).append('\n');
        b.append("impressions: ").append(ledger.impressions()).append(" valid, ");
        b.append(ledger.due()).append(" due; samples: ").append(ledger.samples());
        b.append("; missing ").append(ledger.missing().size());
        b.append(", duplicated ").append(ledger.duplicated().size());
        b.append(", unknown ").append(ledger.unknown().size()).append('\n');
        b.append("newest version ").append(newest.version()).append(": lineage consumed ");
        b.append(newest.lineage().samples().consumed()).append('\n');
        b.append("versions shown by the registry: ").append(registry.seen().size());
        b.append(", audited whole: ").append(audit.whole().size());
        b.append(", violations: ").append(audit.violations()).append('\n');
        b.append("registry answers: ").append(registry.answers()).append('\n');
        b.append("replica served: ").append(serving.served()).append('\n');
        b.append("replica answers: ").append(serving.answers()).append('\n');
        b.append("clean stops: ").append(badStops.isEmpty() ? "all" : badStops).append('\n');
        return b.toString();
    }

    private static boolean isValidImpression(byte[] value) {
        return new EventParser(EventLimits.DEFAULTS).parseImpression(value)
                instanceof ParseResult.Ok<?>;
    }

    private static long seconds(long since) {
        return (System.nanoTime() - since) / 1_000_000_000L;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
