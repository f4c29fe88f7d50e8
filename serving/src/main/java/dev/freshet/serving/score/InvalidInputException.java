package dev.freshet.serving.score;

/**
 * Input that cannot be scored: the reason (the same wire names the pipeline's dead letters use,
 * e.g. {@code wrong_type}), the field at fault when one is, and which impression of the request.
 */
public final class InvalidInputException extends Exception {

    private final String reason;
    private final String field;
    private final int index;

    public InvalidInputException(String reason, String field, int index, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
        this.index = index;
    }

    public String reason() {
        return reason;
    }

    /** The field at fault (e.g. {@code dense.price}), or null. */
    public String field() {
        return field;
    }

    /** The impression's index in the request (0 for a single impression), or -1. */
    public int index() {
        return index;
    }
}
