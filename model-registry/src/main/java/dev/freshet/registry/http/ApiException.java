package dev.freshet.registry.http;

/**
 * A request the service refuses, with the status and the message the client sees as {@code
 * {"error": message, "field": field}}. Thrown by handlers; the adapter turns it into the response.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    public ApiException(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public int status() {
        return status;
    }

    /** The request field at fault, or null when the error is not about one field. */
    public String field() {
        return field;
    }
}
