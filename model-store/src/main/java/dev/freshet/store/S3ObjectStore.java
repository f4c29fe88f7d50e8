package dev.freshet.store;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectStore} on any S3 API (MinIO, AWS S3, S3Proxy) through the MinIO Java client. That
 * client reports a server's answer as a {@link MinioException} and a failure to get one (refused,
 * reset, timed out) as an {@link IllegalStateException} around the I/O error; both are caught
 * around each call and sorted by {@link S3Failures}.
 *
 * <p>Requests are not retried here: a failure comes back at once as an {@link ObjectStoreException}
 * whose {@link ObjectStoreException#unavailable()} tells the caller whether retrying later can
 * help. Thread-safe; one instance serves many threads over a pool of connections.
 */
public final class S3ObjectStore implements ObjectStore {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Longest wait for the next bytes of a request or a response, not for a whole transfer. */
    public static final Duration IO_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;
    private static final int COPY_BUFFER = 64 * 1024;

    private final S3Settings settings;
    private final MinioClient client;

    public S3ObjectStore(S3Settings settings) {
        this(settings, CONNECT_TIMEOUT, IO_TIMEOUT);
    }

    /** With other timeouts: {@code ioTimeout} bounds each wait for bytes, in either direction. */
    public S3ObjectStore(S3Settings settings, Duration connectTimeout, Duration ioTimeout) {
        this.settings = settings;
        Dispatcher dispatcher = new Dispatcher();
        // OkHttp's default (5) would queue a busy trainer's requests behind one another.
        dispatcher.setMaxRequestsPerHost(32);
        OkHttpClient http =
                new OkHttpClient.Builder()
                        .connectTimeout(connectTimeout)
                        .readTimeout(ioTimeout)
                        .writeTimeout(ioTimeout)
                        .dispatcher(dispatcher)
                        .protocols(List.of(Protocol.HTTP_1_1))
                        .build();
        this.client =
                MinioClient.builder()
                        .endpoint(settings.endpoint().toString())
                        .region(settings.region())
                        .credentials(settings.accessKey(), settings.secretKey())
                        .httpClient(http, true)
                        .build();
        LOG.info("Object store {}", settings);
    }

    public S3Settings settings() {
        return settings;
    }

    @Override
    public void ensureBucket() {
        try {
            if (!client.bucketExists(
                    BucketExistsArgs.builder().bucket(settings.bucket()).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(settings.bucket()).build());
                LOG.info("Created bucket {} at {}", settings.bucket(), settings.endpoint());
            }
        } catch (MinioException | IllegalStateException e) {
            // Another writer of ours created it between the check and the create. (AWS's
            // BucketAlreadyExists means another account owns the name: that is an error.)
            if (!S3Failures.code(e).equals("BucketAlreadyOwnedByYou")) {
                throw failure("create bucket", "", e);
            }
        }
    }

    @Override
    public void put(String key, byte[] data, String contentType) {
        requireKey(key);
        try {
            client.putObject(
                    PutObjectArgs.builder()
                            .bucket(settings.bucket())
                            .object(key)
                            .data(data, data.length)
                            .contentType(contentType(contentType))
                            .build());
        } catch (MinioException | IllegalStateException e) {
            throw failure("PUT", key, e);
        }
    }

    @Override
    public void put(String key, Path file, String contentType) {
        requireKey(key);
        if (!Files.isRegularFile(file)) {
            throw new ObjectStoreException("cannot upload " + file + ": no such file", false, null);
        }
        try {
            // Files over 5 MiB go up as a multipart upload.
            client.uploadObject(
                    UploadObjectArgs.builder()
                            .bucket(settings.bucket())
                            .object(key)
                            .filename(file.toString())
                            .contentType(contentType(contentType))
                            .build());
        } catch (MinioException | IllegalStateException e) {
            throw failure("upload " + file + " to", key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data, String contentType) {
        requireKey(key);
        if (data.length > MAX_SINGLE_PUT) {
            throw new IllegalArgumentException(
                    "putIfAbsent writes at most 5 GiB (one PUT), got " + data.length + " bytes");
        }
        try {
            client.putObject(
                    PutObjectArgs.builder()
                            .bucket(settings.bucket())
                            .object(key)
                            // One part: the condition must hold for one PUT, not a multipart
                            // upload's parts.
                            .stream(
                                    new ByteArrayInputStream(data),
                                    (long) data.length,
                                    Math.max(MIN_PART_SIZE, data.length))
                            .contentType(contentType(contentType))
                            .headers(Map.of("If-None-Match", "*"))
                            .build());
            return true;
        } catch (MinioException | IllegalStateException e) {
            if (S3Failures.status(e) == S3Failures.PRECONDITION_FAILED) {
                return false;
            }
            throw failure("conditional PUT", key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        requireKey(key);
        try (GetObjectResponse in = client.getObject(getArgs(key))) {
            return Optional.of(in.readAllBytes());
        } catch (MinioException | IllegalStateException e) {
            if (missingKey(e)) {
                return Optional.empty();
            }
            throw failure("GET", key, e);
        } catch (IOException e) {
            throw failure("GET", key, e);
        }
    }

    @Override
    public boolean download(String key, Path target) {
        requireKey(key);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        } catch (IOException e) {
            throw new ObjectStoreException("cannot write " + target + ": " + e, false, e);
        }
        try {
            try (GetObjectResponse in = client.getObject(getArgs(key));
                    OutputStream out = Files.newOutputStream(tmp)) {
                copy(in, out, key, target);
            } catch (MinioException | IllegalStateException e) {
                if (missingKey(e)) {
                    return false;
                }
                throw failure("GET", key, e);
            } catch (IOException e) {
                // Opening or closing the local file; network reads are handled in copy().
                throw new ObjectStoreException("cannot write " + target + ": " + e, false, e);
            }
            try {
                Files.move(
                        tmp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new ObjectStoreException("cannot write " + target + ": " + e, false, e);
            }
            return true;
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            Iterable<Result<Item>> results =
                    client.listObjects(
                            ListObjectsArgs.builder()
                                    .bucket(settings.bucket())
                                    .prefix(prefix == null ? "" : prefix)
                                    .recursive(true)
                                    .build());
            for (Result<Item> result : results) {
                Item item = result.get();
                if (!item.isDir()) {
                    keys.add(item.objectName());
                }
            }
        } catch (MinioException | IllegalStateException e) {
            throw failure("LIST", prefix == null ? "" : prefix, e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public boolean exists(String key) {
        requireKey(key);
        try {
            client.statObject(
                    StatObjectArgs.builder().bucket(settings.bucket()).object(key).build());
            return true;
        } catch (MinioException | IllegalStateException e) {
            if (missingKey(e)) {
                return false;
            }
            throw failure("HEAD", key, e);
        }
    }

    @Override
    public void delete(String key) {
        requireKey(key);
        try {
            client.removeObject(
                    RemoveObjectArgs.builder().bucket(settings.bucket()).object(key).build());
        } catch (MinioException | IllegalStateException e) {
            throw failure("DELETE", key, e);
        }
    }

    @Override
    public URI presignedGet(String key, Duration expiry) {
        requireKey(key);
        try {
            return URI.create(
                    client.getPresignedObjectUrl(
                            GetPresignedObjectUrlArgs.builder()
                                    .method(Http.Method.GET)
                                    .bucket(settings.bucket())
                                    .object(key)
                                    .expiry((int) expiry.toSeconds())
                                    .build()));
        } catch (MinioException | IllegalStateException e) {
            throw failure("PRESIGN", key, e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("Closing the S3 client failed", e);
        }
    }

    private GetObjectArgs getArgs(String key) {
        return GetObjectArgs.builder().bucket(settings.bucket()).object(key).build();
    }

    /** Copies the object to the file, telling a network failure from a local one. */
    private void copy(InputStream in, OutputStream out, String key, Path target) {
        byte[] buffer = new byte[COPY_BUFFER];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw failure("GET", key, e);
            }
            if (n < 0) {
                return;
            }
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new ObjectStoreException("cannot write " + target + ": " + e, false, e);
            }
        }
    }

    /** A 404 for the object itself; a missing bucket is a configuration error and throws. */
    private static boolean missingKey(Exception e) {
        return S3Failures.status(e) == S3Failures.NOT_FOUND
                && !S3Failures.code(e).equals("NoSuchBucket");
    }

    private ObjectStoreException failure(String operation, String key, Exception e) {
        String where = "s3://" + settings.bucket() + "/" + key + " at " + settings.endpoint();
        return new ObjectStoreException(
                operation + " " + where + " failed: " + S3Failures.describe(e),
                S3Failures.unavailable(e),
                e);
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/")) {
            throw new IllegalArgumentException(
                    "object key must be non-empty and relative, got '" + key + "'");
        }
    }

    private static String contentType(String contentType) {
        return contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}", file, e);
        }
    }
}
