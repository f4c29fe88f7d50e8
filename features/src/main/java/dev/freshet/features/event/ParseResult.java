package dev.freshet.features.event;

/** The outcome of validating one input record: the event, or why it was rejected. */
public sealed interface ParseResult<T> {

    record Ok<T>(T value) implements ParseResult<T> {}

    record Rejected<T>(RejectReason reason, String detail) implements ParseResult<T> {}

    static <T> ParseResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> ParseResult<T> rejected(RejectReason reason, String detail) {
        return new Rejected<>(reason, detail);
    }
}
