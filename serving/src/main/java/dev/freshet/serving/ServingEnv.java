package dev.freshet.serving;

/** The environment variables {@link ServingMain} reads, in one place. */
public final class ServingEnv {

    /** Registry base URL (required), e.g. {@code http://registry:8080}. */
    public static final String REGISTRY = "FRESHET_REGISTRY_URL";

    /** Model to serve (default {@value ServingConfig#DEFAULT_MODEL}). */
    public static final String MODEL = "FRESHET_MODEL";

    /** Alias to follow (default {@code latest}). */
    public static final String ALIAS = "FRESHET_ALIAS";

    /** HTTP port (default {@value ServingConfig#DEFAULT_PORT}). */
    public static final String PORT = "FRESHET_SERVING_PORT";

    /** Where versions are downloaded (default {@code freshet-data/serving}). */
    public static final String WORK_DIR = "FRESHET_SERVING_WORK_DIR";

    /** Largest {@code POST /score} body in bytes (default 1 MiB). */
    public static final String MAX_BODY_BYTES = "FRESHET_SERVING_MAX_BODY_BYTES";

    private ServingEnv() {}
}
