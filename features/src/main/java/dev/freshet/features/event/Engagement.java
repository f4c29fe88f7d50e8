package dev.freshet.features.event;

import java.util.Objects;

/** A user action on an impression: click, save, hide, pay, or any type the task config maps. */
public record Engagement(String engagementId, String impressionId, String type, long eventTime) {

    public Engagement {
        Objects.requireNonNull(engagementId, "engagementId");
        Objects.requireNonNull(impressionId, "impressionId");
        Objects.requireNonNull(type, "type");
    }
}
