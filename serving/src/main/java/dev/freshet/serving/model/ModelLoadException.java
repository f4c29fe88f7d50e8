package dev.freshet.serving.model;

/** A version that cannot be served, and why. */
public final class ModelLoadException extends Exception {

    private final FailureReason reason;

    public ModelLoadException(FailureReason reason, String message) {
        this(reason, message, null);
    }

    public ModelLoadException(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
