package dev.freshet.reliability.faults;

/** The processes of the stack under test, in start order. */
enum Component {
    KAFKA,
    S3,
    PIPELINE,
    REGISTRY,
    TRAINER,
    SERVING;

    /** What the faults hit: everything but the serving replica, which is the witness. */
    static final java.util.List<Component> TARGETS =
            java.util.List.of(KAFKA, S3, PIPELINE, REGISTRY, TRAINER);

    String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
