package dev.freshet.store;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Reads MinIO client failures: the HTTP status and S3 error code a server answered with, and
 * whether the store was unavailable (retry later) or the request was wrong (do not retry).
 */
final class S3Failures {

    static final int NOT_FOUND = 404;
    static final int PRECONDITION_FAILED = 412;

    /** S3's answer when a conditional write raced another write to the same key: retry. */
    private static final String CONDITIONAL_CONFLICT = "ConditionalRequestConflict";

    private static final Pattern NON_XML_STATUS = Pattern.compile("Response code: (\\d{3})");

    private S3Failures() {}

    /** The HTTP status the server answered with, or 0 when there was no answer. */
    static int status(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e && e.response() != null) {
                return e.response().code();
            }
            if (t instanceof ServerException e) {
                return e.statusCode();
            }
            if (t instanceof InvalidResponseException e && e.getMessage() != null) {
                Matcher m = NON_XML_STATUS.matcher(e.getMessage());
                return m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
        }
        return 0;
    }

    /** The S3 error code ({@code NoSuchKey}, {@code SignatureDoesNotMatch}), or empty. */
    static String code(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e && e.errorResponse() != null) {
                String code = e.errorResponse().code();
                return code == null ? "" : code;
            }
        }
        return "";
    }

    /**
     * True when retrying later can succeed: no answer (connection refused or reset, timeouts), a
     * 5xx, 408 Request Timeout, 429 Too Many Requests, or S3's 409 for a conditional write that
     * raced another. TLS failures and every other answer (403 bad signature, 404 no bucket, 400)
     * say the request or the configuration is wrong.
     */
    static boolean unavailable(Throwable failure) {
        int status = status(failure);
        if (status != 0) {
            return status >= 500
                    || status == 408
                    || status == 429
                    || (status == 409 && CONDITIONAL_CONFLICT.equals(code(failure)));
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** One line: the S3 error and status, or the I/O failure. Never contains credentials. */
    static String describe(Throwable failure) {
        int status = status(failure);
        if (status != 0) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof ErrorResponseException e && e.errorResponse() != null) {
                    return status
                            + " "
                            + e.errorResponse().code()
                            + ": "
                            + e.errorResponse().message();
                }
            }
            return "HTTP " + status;
        }
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof IOException) {
                break;
            }
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
