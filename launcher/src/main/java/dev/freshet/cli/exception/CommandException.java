package dev.freshet.cli.exception;

/**
 * A command could not do its job for a reason outside the user's flags (Kafka unreachable, a file
 * unreadable). The message is the one line the user sees, so it says what failed and where.
 */
public final class CommandException extends RuntimeException {

    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
