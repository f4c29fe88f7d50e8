package dev.freshet.features.event;

import java.util.Locale;

/** Why a record was set aside on the dead-letter topic. The wire name is the lower-case name. */
public enum RejectReason {
    /** Not JSON, or not a JSON object. */
    UNPARSEABLE,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (a string where a number belongs, and so on). */
    WRONG_TYPE,
    /** NaN or infinity, or a number outside what the field can hold. */
    NON_FINITE,
    /** An event time before {@code minEventTime} or too far in the future. */
    ABSURD_TIMESTAMP,
    /** Larger than the configured record size limit. */
    OVERSIZED,
    /** An embedding whose length is not the dimension the feature spec declares. */
    WRONG_DIMENSION,
    /** An impression that arrived after the watermark passed its time plus the allowed lateness. */
    LATE,
    /** A sample the model cannot read: not a sample, another feature layout, an id out of range. */
    UNREADABLE_SAMPLE,
    /** A batch whose loss jumped far above the running loss (the trainer's spike check). */
    LOSS_SPIKE,
    /** A batch whose loss or gradient was NaN or infinite. */
    NON_FINITE_LOSS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RejectReason fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
