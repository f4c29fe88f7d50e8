package dev.freshet.trainer.service;

import ai.djl.Device;
import dev.freshet.features.event.RejectReason;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.sample.SampleFormatException;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.store.ObjectStore;
import dev.freshet.store.ObjectStoreException;
import dev.freshet.trainer.config.ModelConfigJson;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.gate.LossSpikeDetector;
import dev.freshet.trainer.gate.StabilityGate;
import dev.freshet.trainer.metrics.HitAtK;
import dev.freshet.trainer.metrics.MetricWindow;
import dev.freshet.trainer.observe.TrainerMetrics;
import dev.freshet.trainer.publish.Publisher;
import dev.freshet.trainer.train.Checkpoint;
import dev.freshet.trainer.train.StepResult;
import dev.freshet.trainer.train.TrainingLoop;
import dev.freshet.trainer.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continuous trainer (PRODUCT.md section 6): consumes {@code samples} from the offsets of its
 * newest checkpoint, trains in mini-batches behind the loss-spike guard, and every publish interval
 * forms a candidate: a local checkpoint (atomic), the stability gate, then publication as an
 * immutable version (in the background, retried while the object store is down) or, if the gate
 * says no, a rejected manifest. Run {@link #run()} on a thread; {@link #stop()} ends it after the
 * current step and writes a final checkpoint.
 */
public final class TrainerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    static final String SPEC_FILE = "feature-spec.json";
    static final String METRICS_FILE = "metrics.json";
    private static final Duration POLL_WAIT = Duration.ofMillis(100);
    private static final Duration KAFKA_WARNING_EVERY = Duration.ofSeconds(30);

    /** Test hooks: a perturbation of replayed batches (injected nondeterminism). */
    public record Hooks(UnaryOperator<Batch> replayPerturbation) {
        public static final Hooks NONE = new Hooks(UnaryOperator.identity());
    }

    private final TrainerServiceConfig config;
    private final TrainerMetrics metrics;
    private final Hooks hooks;
    private final SampleSource source;
    private final SpecSource specs;
    private final Quarantine quarantine;
    private final Publisher publisher;
    private final AsyncPublisher asyncPublisher;
    private final LocalState local;
    private final StabilityGate gate;
    private final LossSpikeDetector spikes;
    private final SampleCodec codec = new SampleCodec();
    private final ObjectStore store;

    private volatile boolean running = true;
    private volatile boolean ready;
    private TrainingSession session;
    private TrainingBatchSize batchSize;
    private FeatureSpec spec;
    private BatchAssembler assembler;
    private final Set<String> compatibleSpecs = new HashSet<>();
    private MetricWindow window;
    private ProbeSet probe;
    private ReplaySegment segment;
    private Path parentCheckpoint;

    // Position of the state in `session`.
    private final Ledger ledger = new Ledger();
    private long sequence;
    private long intervalConsumed;
    private double intervalMaxGradientNorm;
    private long intervalStart = System.nanoTime();
    private final PublishedModel published;
    private int consecutiveRejections;
    private volatile boolean halted;
    private final List<Pending> pending = new ArrayList<>();
    private long pendingSince;

    /**
     * A consumed record waiting for its batch: decoded, or with the reason it is not a sample (it
     * still counts, in order, as consumed and rejected).
     */
    private record Pending(SampleSource.Consumed record, Sample sample, String error) {}

    public TrainerService(
            TrainerServiceConfig config,
            String bootstrapServers,
            ObjectStore store,
            TrainerMetrics metrics,
            Hooks hooks)
            throws IOException {
        this.config = config;
        this.metrics = metrics;
        this.hooks = hooks;
        this.store = store;
        this.source = new SampleSource(bootstrapServers, config.samplesTopic());
        this.specs = new SpecSource(bootstrapServers, config.specTopic());
        this.quarantine =
                new Quarantine(bootstrapServers, config.deadLetterTopic(), config.samplesTopic());
        this.publisher = new Publisher(store, config.modelName());
        this.local = new LocalState(config.stateDir());
        this.gate = new StabilityGate(config.gate());
        this.spikes = new LossSpikeDetector(config.gate());
        this.published = new PublishedModel(store, publisher, local, metrics, config.stateDir());
        this.asyncPublisher =
                new AsyncPublisher(
                        publisher,
                        published::rebase,
                        published::published,
                        metrics::publishFailures,
                        Duration.ofSeconds(30));
    }

    /** Called (on the publishing thread) after each version is published, e.g. the registry. */
    public TrainerService onPublished(java.util.function.Consumer<Manifest> listener) {
        published.addListener(listener);
        return this;
    }

    /** Whether the service has resumed its state and is consuming. */
    public boolean ready() {
        return ready;
    }

    public boolean publishingHalted() {
        return halted;
    }

    public Publisher publisher() {
        return publisher;
    }

    /** Trains until {@link #stop()}; resumes from the newest checkpoint first. */
    public void run() {
        try {
            if (!resume()) {
                return;
            }
            source.seek(ledger.offsets(), () -> running);
            ready = true;
            long lastLag = 0;
            while (running) {
                // Read only while fewer than two batches wait: memory stays bounded, and a full
                // backlog trains batch after batch without waiting on an empty poll.
                if (pending.size() < 2 * batchSize.size()) {
                    Duration wait = pending.size() >= batchSize.size() ? Duration.ZERO : POLL_WAIT;
                    for (SampleSource.Consumed r : source.poll(wait)) {
                        accept(r);
                    }
                }
                if (pending.size() >= batchSize.size()
                        || (!pending.isEmpty()
                                && System.nanoTime() - pendingSince
                                        > config.maxBatchWait().toNanos())) {
                    trainPending();
                }
                boolean intervalFull = intervalConsumed >= config.publishEverySamples();
                boolean intervalOld =
                        intervalConsumed > 0
                                && System.nanoTime() - intervalStart
                                        > config.publishEvery().toNanos();
                if (intervalFull || intervalOld) {
                    formCandidate();
                }
                if (System.nanoTime() - lastLag > 5_000_000_000L) {
                    lastLag = System.nanoTime();
                    try {
                        metrics.lag(source.lag() + pending.size());
                    } catch (RetriableException e) {
                        // The broker is away: the gauge keeps its last value until it is back.
                        LOG.debug("Lag unknown while Kafka is unavailable: {}", e.getMessage());
                    }
                }
            }
            while (!pending.isEmpty()) {
                trainPending();
            }
            if (intervalConsumed > 0) {
                formCandidate();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            ready = false;
        }
    }

    public void stop() {
        running = false;
    }

    /** Waits until every formed candidate has been published (for tests and clean shutdown). */
    public boolean awaitPublished(Duration timeout) throws InterruptedException {
        return asyncPublisher.awaitIdle(timeout);
    }

    // ---------------------------------------------------------------- resume

    private boolean resume() throws IOException {
        Optional<Path> newestLocal = local.newest();
        Optional<Manifest> newestPublished = published.newestOrEmpty();
        Position localPosition = newestLocal.isPresent() ? local.position(newestLocal.get()) : null;
        Path dir;
        if (newestPublished.isPresent()
                && (localPosition == null
                        || newestPublished.get().lineage().samples().consumed()
                                > localPosition.counts().consumed())) {
            Manifest m = newestPublished.get();
            LOG.info(
                    "Resuming from published version {} (newer than any local checkpoint)",
                    m.version());
            Path tmp = local.begin(m.lineage().steps() == 0 ? 1 : nextSequence(localPosition));
            publisher.download(m, tmp);
            Position p =
                    new Position(
                            nextSequence(localPosition),
                            m.lineage().offsets(),
                            m.lineage().samples(),
                            m.lineage().minEventTime(),
                            m.lineage().maxEventTime(),
                            m.lineage().specVersion(),
                            m.version(),
                            m.lineage().samples());
            dir = local.commit(tmp, p);
            local.markPublished(dir, m.version());
        } else if (newestLocal.isPresent()) {
            dir = newestLocal.get();
            LOG.info("Resuming from local checkpoint {}", dir);
        } else {
            return startFresh();
        }
        Position p = local.position(dir);
        Checkpoint.Model model = Checkpoint.model(dir);
        batchSize = TrainingBatchSize.choose(config, model.config(), model.layout(), device());
        session = Checkpoint.load(dir, config.threads(), device());
        spec = FeatureSpecJson.fromBytes(Files.readAllBytes(dir.resolve(SPEC_FILE)));
        probe = ProbeSet.load(dir, config.probeSize(), codec);
        restorePosition(p);
        // The newest published version is the parent of what comes next, whether this checkpoint
        // is that version, descends from it, or was published after its position was written.
        if (newestPublished.isPresent()) {
            published.load(newestPublished.get().version());
        } else if (p.publishedParent() != null) {
            published.load(p.publishedParent());
        }
        startModel(dir);
        return true;
    }

    private boolean startFresh() throws IOException {
        LOG.info("No checkpoint yet: waiting for a feature spec on {}", config.specTopic());
        while (running) {
            Optional<FeatureSpec> latest = whileKafkaAway("the newest feature spec", specs::latest);
            if (latest.isPresent()) {
                spec = latest.get();
                break;
            }
            sleep(1000);
        }
        if (!running) {
            return false;
        }
        ModelLayout layout = ModelLayout.of(spec);
        batchSize = TrainingBatchSize.choose(config, config.model(), layout, device());
        session = new TrainingSession(config.model(), layout, config.threads(), device());
        probe = new ProbeSet(config.probeSize());
        restorePosition(Position.genesis(spec.version()));
        startModel(null);
        Path genesis = writeCheckpoint();
        parentCheckpoint = genesis;
        LOG.info("Fresh model for spec {}, genesis checkpoint {}", spec.version(), genesis);
        return true;
    }

    private void restorePosition(Position p) {
        ledger.restore(p);
        sequence = p.sequence();
    }

    private void startModel(Path checkpoint) {
        assembler = new BatchAssembler(session.layout(), session.config().taskNames());
        compatibleSpecs.clear();
        compatibleSpecs.add(spec.version());
        window = TrainingLoop.metricWindow(session.config(), config.windowSize());
        parentCheckpoint = checkpoint;
        segment = new ReplaySegment(config.gate().replaySteps());
        intervalConsumed = 0;
        intervalMaxGradientNorm = 0;
        intervalStart = System.nanoTime();
    }

    // ---------------------------------------------------------------- training

    private void accept(SampleSource.Consumed r) {
        if (pending.isEmpty()) {
            pendingSince = System.nanoTime();
        }
        try {
            pending.add(new Pending(r, codec.decode(r.value()), null));
        } catch (SampleFormatException e) {
            pending.add(new Pending(r, null, "not a sample: " + e.getMessage()));
        }
    }

    private void trainPending() {
        List<Pending> take =
                new ArrayList<>(pending.subList(0, Math.min(pending.size(), batchSize.size())));
        pending.subList(0, take.size()).clear();
        pendingSince = System.nanoTime();
        List<Sample> samples = new ArrayList<>(take.size());
        List<SampleSource.Consumed> records = new ArrayList<>(take.size());
        for (Pending p : take) {
            if (p.sample() == null) {
                reject(List.of(p.record()), p.error());
                continue;
            }
            if (!compatible(p.sample().specVersion())) {
                reject(
                        List.of(p.record()),
                        "spec " + p.sample().specVersion() + " does not fit the model's layout");
                continue;
            }
            samples.add(withModelSpec(p.sample()));
            records.add(p.record());
        }
        if (!samples.isEmpty()) {
            BatchAssembler.Assembled assembled = assembler.assemble(samples);
            List<SampleSource.Consumed> trainable = new ArrayList<>();
            Map<Sample, SampleSource.Consumed> bySample = new java.util.IdentityHashMap<>();
            for (int i = 0; i < samples.size(); i++) {
                bySample.put(samples.get(i), records.get(i));
            }
            for (BatchAssembler.Rejected rejected : assembled.rejected()) {
                reject(List.of(bySample.get(rejected.sample())), rejected.reason());
            }
            Set<Sample> rejectedSet =
                    java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            assembled.rejected().forEach(x -> rejectedSet.add(x.sample()));
            for (int i = 0; i < samples.size(); i++) {
                if (!rejectedSet.contains(samples.get(i))) {
                    trainable.add(records.get(i));
                    if (!probe.complete()) {
                        probe.offer(records.get(i).value(), samples.get(i));
                    }
                }
            }
            if (assembled.batch().size() > 0) {
                step(assembled.batch(), trainable);
            }
        }
        for (Pending p : take) {
            ledger.consumed(p.record().partition(), p.record().offset());
        }
        intervalConsumed += take.size();
    }

    private void step(Batch batch, List<SampleSource.Consumed> records) {
        StepResult result = session.step(batch, spikes);
        Map<String, Float> taskLosses = new LinkedHashMap<>();
        List<String> tasks = session.config().taskNames();
        for (int k = 0; k < tasks.size(); k++) {
            taskLosses.put(tasks.get(k), result.taskLosses()[k]);
        }
        if (result.applied()) {
            intervalMaxGradientNorm = Math.max(intervalMaxGradientNorm, result.gradientNorm());
            ledger.trained(batch.size(), batch.minEventTime(), batch.maxEventTime());
            window.addBatch(
                    batch.requestIds(),
                    result.probabilities(),
                    batch.labels(),
                    batch.labelMask(),
                    batch.weights(),
                    batch.size());
        } else {
            RejectReason reason =
                    StepResult.NON_FINITE.equals(result.refusal())
                            ? RejectReason.NON_FINITE_LOSS
                            : RejectReason.LOSS_SPIKE;
            String detail =
                    reason == RejectReason.LOSS_SPIKE
                            ? String.format(
                                    java.util.Locale.ROOT,
                                    "batch loss %.4f vs running mean %.4f (std %.4f)",
                                    result.loss(),
                                    spikes.mean(),
                                    spikes.std())
                            : "batch loss "
                                    + result.loss()
                                    + ", gradient norm "
                                    + result.gradientNorm();
            quarantine.send(records, reason, detail);
            metrics.quarantined(reason.wireName(), batch.size());
            ledger.quarantined(batch.size());
            LOG.warn("Quarantined a batch of {} ({}): {}", batch.size(), reason.wireName(), detail);
        }
        metrics.recordStep(
                batch.size(),
                result.applied(),
                result.loss(),
                taskLosses,
                ledger.maxEventTime() == null ? 0 : ledger.maxEventTime());
        segment.record(batch, result.applied(), session, probe);
    }

    private void reject(List<SampleSource.Consumed> records, String detail) {
        quarantine.send(records, RejectReason.UNREADABLE_SAMPLE, detail);
        metrics.rejected(RejectReason.UNREADABLE_SAMPLE.wireName(), records.size());
        ledger.rejected(records.size());
    }

    /** Another spec version is fine when it gives the model the same layout. */
    private boolean compatible(String version) {
        if (compatibleSpecs.contains(version)) {
            return true;
        }
        Optional<FeatureSpec> other =
                whileKafkaAway("feature spec " + version, () -> specs.version(version));
        if (other.isPresent() && sameLayout(ModelLayout.of(other.get()), session.layout())) {
            compatibleSpecs.add(version);
            LOG.info("Spec {} has the model's layout: accepting its samples", version);
            return true;
        }
        return false;
    }

    /**
     * A Kafka call with a deadline, retried while the broker is away: an outage is something to
     * wait out, never a reason to stop training or to set samples aside as having an unknown spec.
     * Gives up (rethrows) only once the trainer is stopping.
     */
    private <T> T whileKafkaAway(String what, Supplier<T> call) {
        long lastWarning = 0;
        while (true) {
            try {
                return call.get();
            } catch (RetriableException e) {
                if (!running) {
                    throw e;
                }
                if (System.nanoTime() - lastWarning > KAFKA_WARNING_EVERY.toNanos()) {
                    LOG.warn("Waiting for Kafka to read {}: {}", what, e.getMessage());
                    lastWarning = System.nanoTime();
                }
                sleep(1000);
            }
        }
    }

    private static boolean sameLayout(ModelLayout a, ModelLayout b) {
        return a.dense().equals(b.dense())
                && a.sparse().equals(b.sparse())
                && a.embeddings().equals(b.embeddings());
    }

    private Sample withModelSpec(Sample s) {
        String model = session.layout().specVersion();
        return s.specVersion().equals(model) ? s : s.withSpecVersion(model);
    }

    // ---------------------------------------------------------------- candidates

    private void formCandidate() throws IOException {
        quarantine.flush();
        // Sorting the whole metric window is the costly part of a candidate: do it once.
        Map<String, TaskMetrics> windowMetrics = metricsByTask();
        Path dir = writeCheckpoint(windowMetrics);
        Path next = dir;
        float[] probePredictions = ProbeSet.loadPredictions(dir);
        StabilityGate.ReplayOutcome replay =
                segment.replay(
                        parentCheckpoint,
                        config.threads(),
                        device(),
                        probe,
                        hooks.replayPerturbation());
        PublishedModel.Version current = published.current();
        List<CheckResult> checks =
                gate.evaluate(
                        session,
                        intervalMaxGradientNorm,
                        replay,
                        probePredictions,
                        List.copyOf(windowMetrics.values()),
                        current == null ? null : current.gateView());
        checks.forEach(c -> metrics.gate(c.name(), !c.blocks()));
        Manifest manifest = manifest(dir, checks, current, windowMetrics);
        if (manifest.passed()) {
            consecutiveRejections = 0;
            if (halted) {
                LOG.error(
                        "Publishing is halted after repeated gate failures; {} kept locally only",
                        dir);
            } else {
                asyncPublisher.submit(new AsyncPublisher.Candidate(dir, files(dir), manifest));
            }
        } else {
            consecutiveRejections++;
            metrics.candidateRejected();
            LOG.warn("Candidate {} rejected: {}", manifest.candidate(), failed(checks));
            try {
                publisher.reject(manifest);
            } catch (ObjectStoreException e) {
                LOG.warn(
                        "Could not keep the rejected manifest of {}: {}",
                        manifest.candidate(),
                        e.getMessage());
            }
            if (consecutiveRejections >= config.gate().maxConsecutiveRejections() && !halted) {
                halted = true;
                metrics.publishingHalted(true);
                LOG.error(
                        "PUBLISHING HALTED: {} candidates in a row failed the stability gate (last: {})."
                                + " Training continues; no version will be published until the"
                                + " trainer is restarted after a fix.",
                        consecutiveRejections,
                        failed(checks));
            }
            if (checks.stream().anyMatch(c -> c.name().equals("finite") && c.blocks())) {
                next = rollBack();
            }
        }
        Set<Path> protect = new HashSet<>();
        protect.add(next);
        AsyncPublisher.Candidate waiting = asyncPublisher.pending();
        if (waiting != null) {
            protect.add(waiting.dir());
        }
        local.prune(config.keepCheckpoints(), protect);
        parentCheckpoint = next;
        segment = new ReplaySegment(config.gate().replaySteps());
        intervalConsumed = 0;
        intervalMaxGradientNorm = 0;
        intervalStart = System.nanoTime();
    }

    /**
     * Back to the parent's state, reading forward from here; returns a fresh checkpoint of that
     * state, so neither the next replay nor a restart ever starts from the state that failed.
     */
    private Path rollBack() throws IOException {
        Position parent = local.position(parentCheckpoint);
        long lost = ledger.counts().trained() - parent.counts().trained();
        LOG.error("Rolling back to {}: {} trained samples are discarded", parentCheckpoint, lost);
        session.close();
        session = Checkpoint.load(parentCheckpoint, config.threads(), device());
        ledger.discarded(lost);
        return writeCheckpoint();
    }

    private Path writeCheckpoint() throws IOException {
        return writeCheckpoint(metricsByTask());
    }

    private Path writeCheckpoint(Map<String, TaskMetrics> windowMetrics) throws IOException {
        long seq = sequence + 1;
        Path tmp = local.begin(seq);
        Checkpoint.save(session, tmp);
        Files.write(tmp.resolve(SPEC_FILE), FeatureSpecJson.toBytes(spec));
        probe.save(tmp);
        ProbeSet.savePredictions(tmp, probe.predictions(session));
        PublishedModel.Version p = published.current();
        Position position =
                new Position(
                        seq,
                        ledger.offsets(),
                        ledger.counts(),
                        ledger.minEventTime(),
                        ledger.maxEventTime(),
                        spec.version(),
                        p == null ? null : p.version(),
                        p == null ? Manifest.Counts.ZERO : p.counts());
        Files.write(
                tmp.resolve(METRICS_FILE),
                dev.freshet.manifest.ManifestJson.mapper().writeValueAsBytes(windowMetrics));
        Path dir = local.commit(tmp, position);
        sequence = seq;
        return dir;
    }

    private Map<String, TaskMetrics> metricsByTask() {
        Map<String, TaskMetrics> out = new LinkedHashMap<>();
        for (TaskMetrics m : window.taskMetrics()) {
            out.put(m.task(), m);
        }
        return out;
    }

    private Manifest manifest(
            Path dir,
            List<CheckResult> checks,
            PublishedModel.Version current,
            Map<String, TaskMetrics> windowMetrics)
            throws IOException {
        List<Manifest.FileEntry> files = new ArrayList<>();
        for (String name : files(dir)) {
            Path f = dir.resolve(name);
            files.add(new Manifest.FileEntry(name, Checksums.sha256(f), Files.size(f)));
        }
        Manifest.Counts atParent = current == null ? Manifest.Counts.ZERO : current.counts();
        Manifest.Lineage lineage =
                new Manifest.Lineage(
                        config.samplesTopic(),
                        ledger.offsets(),
                        ledger.counts(),
                        ledger.counts().minus(atParent),
                        ledger.minEventTime(),
                        ledger.maxEventTime(),
                        spec.version(),
                        ModelConfigJson.hash(session.config()),
                        session.steps());
        Manifest.Hit hit = null;
        if (session.config().hit() != null && window.size() > 0) {
            HitAtK.Result r = window.hit();
            hit =
                    new Manifest.Hit(
                            session.config().hit().task(), session.config().hit().k(),
                            r.hitsPerRequest(), r.requestsWithPositive());
        }
        return new Manifest(
                Manifest.FORMAT,
                config.modelName(),
                0,
                dir.getFileName().toString() + "-" + Instant.now().toEpochMilli(),
                Instant.now().toString(),
                current == null ? null : current.version(),
                files,
                lineage,
                checks,
                windowMetrics,
                hit,
                batchSize.manifest());
    }

    private static List<String> files(Path dir) throws IOException {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(LocalState.POSITION) && !n.equals(LocalState.PUBLISHED))
                    .sorted()
                    .toList();
        }
    }

    private static long nextSequence(Position p) {
        return p == null ? 1 : p.sequence() + 1;
    }

    private Device device() {
        return config.device().equals("gpu") ? Device.gpu() : Device.cpu();
    }

    private static String failed(List<CheckResult> checks) {
        return checks.stream()
                .filter(CheckResult::blocks)
                .map(c -> c.name() + ": " + c.detail())
                .toList()
                .toString();
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        asyncPublisher.close();
        source.close();
        specs.close();
        quarantine.close();
        if (session != null) {
            session.close();
        }
    }
}
