package dev.freshet.store;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables the object store reads, and the one place that reads them. Tests and
 * commands pass their own map to {@link #of(Map)} instead of touching the process environment.
 */
public final class S3Env {

    /** Access key id for Freshet's object store; takes precedence over the AWS variables. */
    public static final String ACCESS_KEY = "FRESHET_S3_ACCESS_KEY";

    /** Secret key for Freshet's object store; set together with {@link #ACCESS_KEY}. */
    public static final String SECRET_KEY = "FRESHET_S3_SECRET_KEY";

    /** A credentials file (properties {@code access_key}, {@code secret_key}) to fall back on. */
    public static final String CREDENTIALS_FILE = "FRESHET_S3_CREDENTIALS_FILE";

    /** The AWS SDKs' access key variable, read when the Freshet ones are not set. */
    public static final String AWS_ACCESS_KEY = "AWS_ACCESS_KEY_ID";

    /** The AWS SDKs' secret key variable, set together with {@link #AWS_ACCESS_KEY}. */
    public static final String AWS_SECRET_KEY = "AWS_SECRET_ACCESS_KEY";

    private final Map<String, String> values;

    private S3Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** This process's environment. */
    public static S3Env system() {
        return new S3Env(System.getenv());
    }

    public static S3Env of(Map<String, String> values) {
        return new S3Env(values);
    }

    /** The variable's value, empty when unset or blank. */
    public Optional<String> get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
