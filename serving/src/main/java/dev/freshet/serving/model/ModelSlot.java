package dev.freshet.serving.model;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, swapped atomically. Scoring {@link #acquire() leases} the current model;
 * a swap installs the new one at once and the old one is closed when its last lease is returned, so
 * no request ever sees a closed model and no request waits for a swap.
 */
public final class ModelSlot implements AutoCloseable {

    private final AtomicReference<LoadedModel> current = new AtomicReference<>();

    /** A lease on the served model, or null when none is loaded yet. Close it when done. */
    public Lease acquire() {
        while (true) {
            LoadedModel m = current.get();
            if (m == null) {
                return null;
            }
            if (m.retain()) {
                return new Lease(m);
            }
            // Swapped out and closed between get() and retain(): read the slot again.
        }
    }

    /** Serves {@code next} from now on; the model it replaces is closed once unused. */
    public void swap(LoadedModel next) {
        LoadedModel old = current.getAndSet(next);
        if (old != null) {
            old.release();
        }
    }

    /** The served version, or null before the first. */
    public Long servedVersion() {
        LoadedModel m = current.get();
        return m == null ? null : m.version();
    }

    @Override
    public void close() {
        swap(null);
    }

    /** One scoring call's hold on a model. */
    public static final class Lease implements AutoCloseable {
        private final LoadedModel model;
        private boolean released;

        private Lease(LoadedModel model) {
            this.model = model;
        }

        public LoadedModel model() {
            return model;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                model.release();
            }
        }
    }
}
