package dev.freshet.store;

/** An object store request failed; {@link #unavailable()} when the store could not be reached. */
public class ObjectStoreException extends RuntimeException {

    private final boolean unavailable;

    public ObjectStoreException(String message, boolean unavailable, Throwable cause) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** True when the store is down or unreachable (connection refused, timeout, 5xx): retry. */
    public boolean unavailable() {
        return unavailable;
    }
}
