package dev.freshet.registry.index;

import dev.freshet.manifest.Manifest;

/** A published version as the registry knows it: its manifest and any operator rejection. */
public record VersionEntry(Manifest manifest, Rejection rejection) {

    public static final String READY = "ready";
    public static final String REJECTED = "rejected";

    public long version() {
        return manifest.version();
    }

    public String state() {
        return rejection == null ? READY : REJECTED;
    }

    public boolean ready() {
        return rejection == null;
    }
}
