package dev.freshet.serving.model;

import java.util.Locale;

/** Why a version could not be served. The wire name (metrics, JSON) is the lower-case name. */
public enum FailureReason {
    /** The registry did not answer, timed out or answered 5xx. */
    REGISTRY_UNAVAILABLE,
    /** The registry answered, but not with what a ready version has (4xx, unreadable body). */
    REGISTRY_ERROR,
    /** A file the manifest lists, or serving needs, is not there. */
    MISSING_FILE,
    /** A file's size is not the size the manifest records. */
    SIZE_MISMATCH,
    /** A file's sha256 is not the one the manifest records. */
    CHECKSUM_MISMATCH,
    /** The files are the published ones but do not load as a model (corrupt, wrong layout). */
    LOAD_ERROR,
    /** The loaded model does not reproduce the trainer's probe predictions. */
    WARMUP_MISMATCH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
