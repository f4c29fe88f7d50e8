package dev.freshet.serving.registry;

import java.net.URI;

/**
 * One file of a version as the registry lists it.
 *
 * @param url a presigned download URL, or null when the registry gave none
 */
public record RemoteFile(String name, String sha256, long size, URI url) {}
