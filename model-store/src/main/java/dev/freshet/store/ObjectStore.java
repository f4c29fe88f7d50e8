package dev.freshet.store;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The object store checkpoints are published to (MinIO or any S3; S3Proxy in tests and local runs),
 * reduced to what publishing needs. Keys are relative to one bucket. Every method throws {@link
 * ObjectStoreException} on failure; {@link ObjectStoreException#unavailable()} tells a store that
 * is down or unreachable (retry later) from a request that is wrong (do not retry).
 */
public interface ObjectStore extends AutoCloseable {

    /** Creates the bucket if it does not exist. */
    void ensureBucket();

    /** Writes {@code data} at {@code key}, replacing any object there. */
    void put(String key, byte[] data, String contentType);

    /** Uploads {@code file} to {@code key}, replacing any object there. */
    void put(String key, Path file, String contentType);

    /**
     * Writes {@code data} at {@code key} only if no object exists there (a conditional PUT with
     * {@code If-None-Match: *}). Returns false, writing nothing, when the key already exists: of
     * two writers racing for a key exactly one wins.
     */
    boolean putIfAbsent(String key, byte[] data, String contentType);

    /** The object at {@code key}, or empty if there is none. */
    Optional<byte[]> get(String key);

    /** Downloads {@code key} to {@code target}; false if there is no such object. */
    boolean download(String key, Path target);

    /** Every key under {@code prefix}, recursively, in lexicographic order. */
    List<String> list(String prefix);

    boolean exists(String key);

    void delete(String key);

    /**
     * A URL anyone holding it can GET the object at {@code key} from, without credentials, until
     * {@code expiry} has passed (an S3 presigned URL). Signing is local: the object need not exist.
     */
    URI presignedGet(String key, Duration expiry);

    @Override
    void close();
}
