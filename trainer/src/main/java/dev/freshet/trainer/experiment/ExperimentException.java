package dev.freshet.trainer.experiment;

/** An experiment that could not finish; the message says which config and why. */
public final class ExperimentException extends RuntimeException {
    public ExperimentException(String message) {
        super(message);
    }

    public ExperimentException(String message, Throwable cause) {
        super(message, cause);
    }
}
