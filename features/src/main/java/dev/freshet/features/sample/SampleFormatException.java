package dev.freshet.features.sample;

/** Bytes that do not decode as a sample of any schema this build knows. */
public final class SampleFormatException extends RuntimeException {
    public SampleFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
