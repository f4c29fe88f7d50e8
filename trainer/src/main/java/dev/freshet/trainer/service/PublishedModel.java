package dev.freshet.trainer.service;

import dev.freshet.manifest.Manifest;
import dev.freshet.store.ObjectStore;
import dev.freshet.store.ObjectStoreException;
import dev.freshet.trainer.gate.StabilityGate;
import dev.freshet.trainer.observe.TrainerMetrics;
import dev.freshet.trainer.publish.Publisher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the trainer knows of the newest published version: the parent of the next one (lineage), and
 * what the drift and quality checks compare a candidate with. Updated from the publishing thread,
 * read from the training thread.
 */
final class PublishedModel {

    private static final Logger LOG = LoggerFactory.getLogger(PublishedModel.class);

    /** The newest published version, its cumulative counts and its numbers for the gate. */
    record Version(long version, Manifest.Counts counts, StabilityGate.Published gateView) {}

    private final ObjectStore store;
    private final Publisher publisher;
    private final LocalState local;
    private final TrainerMetrics metrics;
    private final Path scratch;
    private final List<Consumer<Manifest>> listeners = new CopyOnWriteArrayList<>();
    private volatile Version current;

    PublishedModel(
            ObjectStore store,
            Publisher publisher,
            LocalState local,
            TrainerMetrics metrics,
            Path scratch) {
        this.store = store;
        this.publisher = publisher;
        this.local = local;
        this.metrics = metrics;
        this.scratch = scratch;
    }

    /** The newest published version, or null before the first. */
    Version current() {
        return current;
    }

    void addListener(Consumer<Manifest> listener) {
        listeners.add(listener);
    }

    /** The newest manifest in the store; empty when there is none or the store is down. */
    Optional<Manifest> newestOrEmpty() {
        try {
            store.ensureBucket();
            return publisher.newest();
        } catch (ObjectStoreException e) {
            LOG.warn(
                    "Object store unavailable at start ({}); resuming from local state",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Reads version {@code version} from the store (its manifest and probe predictions). */
    void load(long version) {
        try {
            Optional<Manifest> m = publisher.manifest(version);
            if (m.isEmpty()) {
                return;
            }
            Path dir = scratch.resolve("published-" + version);
            float[] predictions = null;
            if (store.download(
                    publisher.versionPrefix(version) + ProbeSet.PREDICTIONS,
                    dir.resolve(ProbeSet.PREDICTIONS))) {
                predictions = ProbeSet.loadPredictions(dir);
            }
            LocalState.deleteTree(dir);
            current = version(m.get(), predictions);
        } catch (ObjectStoreException | IOException e) {
            LOG.warn("Could not read published version {}: {}", version, e.getMessage());
        }
    }

    /** A manifest descending from the version published last, decided at upload time. */
    Manifest rebase(Manifest m) {
        Version p = current;
        return p == null
                ? m.withParent(null, Manifest.Counts.ZERO)
                : m.withParent(p.version(), p.counts());
    }

    /** Records a version just published from {@code candidate}, then tells the listeners. */
    void published(AsyncPublisher.Candidate candidate) {
        Manifest m = candidate.manifest();
        try {
            local.markPublished(candidate.dir(), m.version());
            current = version(m, ProbeSet.loadPredictions(candidate.dir()));
        } catch (IOException e) {
            LOG.warn(
                    "Published {} but could not record it locally: {}",
                    m.version(),
                    e.getMessage());
        }
        metrics.published(Long.toString(m.version()), System.currentTimeMillis());
        for (Consumer<Manifest> listener : listeners) {
            try {
                listener.accept(m);
            } catch (RuntimeException e) {
                LOG.warn(
                        "A publish listener failed for version {}: {}",
                        m.version(),
                        e.getMessage());
            }
        }
    }

    private static Version version(Manifest m, float[] probePredictions) {
        return new Version(
                m.version(),
                m.lineage().samples(),
                new StabilityGate.Published(
                        Long.toString(m.version()),
                        m.lineage().samples().trained(),
                        probePredictions,
                        m.metrics()));
    }
}
