package dev.freshet.registry.index;

/** An operator's decision that a version must not be served, stored beside the versions. */
public record Rejection(long version, String actor, String at, String reason) {}
