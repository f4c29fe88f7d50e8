package dev.freshet.serving.registry;

/**
 * A registry call that failed. {@link #unavailable()} tells a registry that is down, unreachable or
 * timed out (retry later, with backoff) from an answer that is wrong for this request (a 4xx, an
 * unreadable body).
 */
public final class RegistryException extends Exception {

    private final int status;
    private final boolean unavailable;

    private RegistryException(String message, int status, boolean unavailable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.unavailable = unavailable;
    }

    static RegistryException unreachable(String what, Throwable cause) {
        return new RegistryException(
                what + ": registry unreachable (" + cause + ")", 0, true, cause);
    }

    static RegistryException status(String what, int status, String body) {
        String detail = body == null || body.isBlank() ? "" : ": " + abbreviate(body);
        return new RegistryException(
                what + " answered HTTP " + status + detail, status, status >= 500, null);
    }

    static RegistryException unreadable(String what, Throwable cause) {
        return new RegistryException(
                what + ": unreadable answer (" + cause.getMessage() + ")", 0, false, cause);
    }

    /** The HTTP status the registry answered, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** True when retrying later may succeed: no answer, a timeout, or a 5xx. */
    public boolean unavailable() {
        return unavailable;
    }

    private static String abbreviate(String s) {
        String line = s.strip().replace('\n', ' ');
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
