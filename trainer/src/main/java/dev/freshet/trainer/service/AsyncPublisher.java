package dev.freshet.trainer.service;

import dev.freshet.manifest.Manifest;
import dev.freshet.store.ObjectStoreException;
import dev.freshet.trainer.publish.Publisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes candidates on a background thread so training never waits for the object store. One
 * candidate is pending at a time and a newer one replaces it (it carries all the older one's
 * samples); while the store is down the pending candidate is retried with exponential backoff. Each
 * manifest's parent and since-parent counts are fixed just before its upload, against the version
 * published last, so the versions' lineages add up whatever the timing.
 */
final class AsyncPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncPublisher.class);

    /** A checkpoint waiting to be published, and its manifest (version not yet known). */
    record Candidate(Path dir, List<String> files, Manifest manifest) {}

    private final Publisher publisher;
    private final Consumer<Candidate> onPublished;
    private final java.util.function.UnaryOperator<Manifest> rebase;
    private final Runnable onFailure;
    private final Thread thread;
    private final Duration maxBackoff;
    private Candidate pending;
    private boolean closed;

    AsyncPublisher(
            Publisher publisher,
            java.util.function.UnaryOperator<Manifest> rebase,
            Consumer<Candidate> onPublished,
            Runnable onFailure,
            Duration maxBackoff) {
        this.publisher = publisher;
        this.rebase = rebase;
        this.onPublished = onPublished;
        this.onFailure = onFailure;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::loop, "freshet-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void submit(Candidate candidate) {
        if (pending != null) {
            LOG.info(
                    "Candidate {} supersedes unpublished {}",
                    candidate.manifest().candidate(),
                    pending.manifest().candidate());
        }
        pending = candidate;
        notifyAll();
    }

    /** The candidate not yet published, if any (its checkpoint must be kept). */
    synchronized Candidate pending() {
        return pending;
    }

    /** Waits until nothing is pending or {@code timeout} passes; true when nothing is pending. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private void loop() {
        long backoffMillis = 500;
        while (true) {
            Candidate next;
            synchronized (this) {
                while (pending == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                next = pending;
            }
            try {
                // The parent is whatever was published last, decided now, not when the candidate
                // formed: an older candidate may have been published in between.
                Manifest published =
                        publisher.publish(next.dir(), next.files(), rebase.apply(next.manifest()));
                // Still pending (so its checkpoint is not pruned) until the service has recorded
                // it.
                onPublished.accept(new Candidate(next.dir(), next.files(), published));
                synchronized (this) {
                    if (pending == next) {
                        pending = null;
                    }
                    notifyAll();
                }
                backoffMillis = 500;
            } catch (ObjectStoreException e) {
                onFailure.run();
                LOG.warn(
                        "Publishing {} failed ({}); retrying in {} ms",
                        next.manifest().candidate(),
                        e.getMessage(),
                        backoffMillis);
                synchronized (this) {
                    try {
                        wait(backoffMillis);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
                backoffMillis = Math.min(backoffMillis * 2, maxBackoff.toMillis());
            } catch (RuntimeException e) {
                onFailure.run();
                LOG.error("Publishing {} failed", next.manifest().candidate(), e);
                synchronized (this) {
                    try {
                        wait(backoffMillis);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
                backoffMillis = Math.min(backoffMillis * 2, maxBackoff.toMillis());
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
