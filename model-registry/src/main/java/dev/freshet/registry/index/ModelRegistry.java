package dev.freshet.registry.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.registry.http.ApiException;
import dev.freshet.store.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's view of the bucket and the writes it makes there. Reads come from the newest
 * {@link Snapshot}; every write is a conditional PUT of a new key, so two registries racing cannot
 * both win, and is followed by a refresh so the writer sees its own write at once.
 */
public final class ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final ObjectStore store;
    private final IndexLoader loader;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile boolean loaded;

    public ModelRegistry(ObjectStore store, Clock clock) {
        this.store = store;
        this.loader = new IndexLoader(store);
        this.clock = clock;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Whether the bucket has been read at least once (readiness). */
    public boolean loaded() {
        return loaded;
    }

    /** Re-reads the bucket; wakes long-polls if anything changed. Store failures propagate. */
    public Snapshot refresh() {
        // One refresh at a time, load and publish together: two loads from the same previous
        // snapshot would both be generation + 1, and the newer one would be dropped as unchanged.
        synchronized (loader) {
            return publish(loader.load(snapshot));
        }
    }

    private Snapshot publish(Snapshot next) {
        lock.lock();
        try {
            loaded = true;
            if (next.generation() != snapshot.generation()) {
                snapshot = next;
                changed.signalAll();
            }
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a snapshot newer than {@code generation} exists or {@code wait} passes; returns
     * the newest snapshot either way.
     */
    public Snapshot awaitChange(long generation, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (snapshot.generation() <= generation) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    public ModelEntry model(String name) {
        return snapshot.model(name)
                .orElseThrow(() -> ApiException.notFound("no model named '" + name + "'"));
    }

    public VersionEntry version(String model, long version) {
        return model(model)
                .version(version)
                .orElseThrow(
                        () ->
                                ApiException.notFound(
                                        "model '" + model + "' has no version " + version));
    }

    /**
     * The trainer's register call: the manifest it sent must be the one in the store (a version
     * exists only once its manifest does, and only the store's copy counts).
     */
    public VersionEntry register(Manifest sent) {
        String key = StoreLayout.manifestKey(sent.model(), sent.version());
        byte[] stored =
                store.get(key)
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "the store has no manifest at "
                                                        + key
                                                        + "; publish before registering"));
        Manifest inStore;
        try {
            inStore = ManifestJson.parse(stored);
        } catch (IOException e) {
            throw ApiException.conflict(
                    "the manifest at " + key + " is unreadable: " + e.getMessage());
        }
        if (!inStore.equals(sent)) {
            throw ApiException.conflict(
                    "the manifest sent differs from the one at "
                            + key
                            + "; versions are immutable");
        }
        refresh();
        LOG.info("Registered {} version {}", sent.model(), sent.version());
        return version(sent.model(), sent.version());
    }

    public VersionEntry reject(String model, long version, String reason, String actor) {
        VersionEntry entry = version(model, version);
        if (!entry.ready()) {
            throw ApiException.conflict("version " + version + " is already rejected");
        }
        var aliases = model(model).setAliasesOf(version);
        if (!aliases.isEmpty()) {
            throw ApiException.conflict(
                    "version "
                            + version
                            + " is behind alias "
                            + aliases
                            + "; move the alias first");
        }
        Rejection r = new Rejection(version, actor, clock.instant().toString(), reason);
        if (!store.putIfAbsent(
                StoreLayout.rejectionKey(model, version), bytes(r), "application/json")) {
            throw ApiException.conflict("version " + version + " is already rejected");
        }
        refresh();
        LOG.info("{} rejected {} version {}: {}", actor, model, version, reason);
        return version(model, version);
    }

    /**
     * Appends a move of {@code alias} to its log: to {@code to} (null deletes the alias), only if
     * the alias is at {@code expected} when one is given. The log entry is written only if its
     * sequence number is free, so of two concurrent moves (here or in another registry) one gets
     * 409 and changes nothing.
     */
    public AliasEvent moveAlias(
            String model,
            String alias,
            Long to,
            Long expected,
            String action,
            String reason,
            String actor) {
        if (ModelEntry.LATEST.equals(alias)) {
            throw ApiException.badRequest(
                    "alias", "'latest' is built in (the newest ready version) and cannot be moved");
        }
        ModelEntry entry = model(model);
        if (to != null) {
            VersionEntry target = version(model, to);
            if (!target.ready()) {
                throw ApiException.conflict("version " + to + " is rejected and cannot be served");
            }
        }
        Optional<AliasEvent> last = entry.lastEvent(alias);
        Long current = last.map(AliasEvent::to).orElse(null);
        if (expected != null && !expected.equals(current)) {
            throw ApiException.conflict(
                    "alias " + alias + " is at " + current + ", not at the expected " + expected);
        }
        if (to == null && current == null) {
            throw ApiException.notFound("model '" + model + "' has no alias '" + alias + "'");
        }
        long seq = last.map(AliasEvent::seq).orElse(0L) + 1;
        AliasEvent event =
                new AliasEvent(
                        model,
                        alias,
                        seq,
                        action,
                        current,
                        to,
                        actor,
                        clock.instant().toString(),
                        reason);
        if (!store.putIfAbsent(
                StoreLayout.aliasEventKey(model, alias, seq), bytes(event), "application/json")) {
            refresh();
            throw ApiException.conflict(
                    "alias " + alias + " was moved concurrently; read it again and retry");
        }
        refresh();
        LOG.info(
                "{} moved {} alias {} from {} to {} ({}): {}",
                actor,
                model,
                alias,
                current,
                to,
                action,
                reason);
        return event;
    }

    /** Moves {@code alias} back to the version it pointed at before its last move. */
    public AliasEvent rollback(String model, String alias, String reason, String actor) {
        AliasEvent last =
                model(model)
                        .lastEvent(alias)
                        .filter(e -> e.to() != null)
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "model '"
                                                        + model
                                                        + "' has no alias '"
                                                        + alias
                                                        + "'"));
        if (last.from() == null) {
            throw ApiException.conflict(
                    "alias " + alias + " has no earlier version to roll back to");
        }
        return moveAlias(model, alias, last.from(), last.to(), "rollback", reason, actor);
    }

    public ObjectStore store() {
        return store;
    }

    /**
     * Refreshes every {@code interval} on a daemon thread until interrupted; failures are logged.
     */
    public Thread startRefreshing(Duration interval) {
        Thread t =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                try {
                                    refresh();
                                } catch (RuntimeException e) {
                                    LOG.warn("Refreshing the index failed: {}", e.getMessage());
                                }
                                try {
                                    TimeUnit.NANOSECONDS.sleep(interval.toNanos());
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "freshet-registry-refresh");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static byte[] bytes(Object value) {
        try {
            return ManifestJson.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
