package dev.freshet.serving.model;

import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.transform.FeatureTransform;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.train.TrainingSession;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version: its feature spec and transform, the model, and a reference count so that the
 * model is closed only when it is no longer served and the last scoring call on it has finished.
 * The count starts at one, the reference of whoever installs it ({@link ModelSlot}).
 */
public final class LoadedModel {

    private final long version;
    private final FeatureSpec spec;
    private final FeatureTransform transform;
    private final TrainingSession session;
    private final BatchAssembler assembler;
    private final AtomicInteger references = new AtomicInteger(1);

    LoadedModel(long version, FeatureSpec spec, TrainingSession session) {
        this.version = version;
        this.spec = spec;
        this.transform = new FeatureTransform(spec);
        this.session = session;
        this.assembler = new BatchAssembler(session.layout(), session.config().taskNames());
    }

    public long version() {
        return version;
    }

    public FeatureSpec spec() {
        return spec;
    }

    public FeatureTransform transform() {
        return transform;
    }

    public BatchAssembler assembler() {
        return assembler;
    }

    public List<String> tasks() {
        return session.config().taskNames();
    }

    /**
     * [B x K] row-major probabilities. The session is not thread-safe, so concurrent requests take
     * turns on one model (each call is one batched forward pass).
     */
    public synchronized float[] predict(Batch batch) {
        return session.predict(batch);
    }

    /** Takes a reference; false when the model is already closed (re-read the slot). */
    boolean retain() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the model. */
    void release() {
        if (references.decrementAndGet() == 0) {
            synchronized (this) {
                session.close();
            }
        }
    }

    /** True once the last reference is gone and the native model is freed. */
    public boolean closed() {
        return references.get() == 0;
    }
}
