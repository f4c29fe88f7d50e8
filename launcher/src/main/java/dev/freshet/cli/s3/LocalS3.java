package dev.freshet.cli.s3;

import dev.freshet.cli.exception.CommandException;
import dev.freshet.store.S3Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3Proxy serving the {@code filesystem-nio2} blob store on a directory: one subdirectory per
 * bucket under {@code DIR/buckets}, one file per object. Data survives restarts; requests must be
 * signed with the given credentials (AWS signature V2 or V4).
 */
public final class LocalS3 implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);

    /** How long a stop waits for requests in flight before it cuts connections. */
    private static final long STOP_TIMEOUT_MS = 5_000;

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final String endpoint;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();

    private LocalS3(S3Proxy proxy, BlobStore blobStore, String endpoint) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.endpoint = endpoint;
    }

    /** Where the buckets of a server on {@code dir} live. */
    public static Path bucketsDir(Path dir) {
        return dir.resolve("buckets");
    }

    /** Starts serving {@code dir} (created if missing) and creates {@code buckets} if missing. */
    public static LocalS3 start(
            Path dir, String host, int port, S3Credentials credentials, List<String> buckets) {
        Path root = bucketsDir(dir.toAbsolutePath().normalize());
        try {
            // filesystem-nio2 refuses a directory that does not exist.
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
        BlobStore blobStore = new FilesystemNio2BlobStore(root.toString());
        for (String bucket : buckets) {
            if (!blobStore.containerExists(bucket)) {
                blobStore.createContainer(bucket);
                LOG.info("Created bucket {}", bucket);
            }
        }
        String endpoint = "http://" + host + ":" + port;
        S3Proxy proxy =
                S3Proxy.builder()
                        .blobStore(blobStore)
                        .endpoint(URI.create(endpoint))
                        .awsAuthentication(
                                AuthenticationType.AWS_V2_OR_V4,
                                credentials.accessKey(),
                                credentials.secretKey())
                        .stopTimeout(STOP_TIMEOUT_MS)
                        .build();
        try {
            proxy.start();
        } catch (Exception e) {
            stopQuietly(proxy);
            if (hasCause(e, BindException.class)) {
                throw new CommandException(
                        String.format(
                                "cannot listen on %s:%d (%s): is another S3 server running?"
                                        + " Choose another port with --port",
                                host, port, e.getMessage()),
                        e);
            }
            throw new CommandException("S3 server failed to start: " + e.getMessage(), e);
        }
        LOG.info("S3 serving {} on {}", root, endpoint);
        return new LocalS3(proxy, blobStore, endpoint);
    }

    public String endpoint() {
        return endpoint;
    }

    /** Blocks until {@link #close()} has stopped the server. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Stopping the S3 server on {}", endpoint);
        stopQuietly(proxy);
        blobStore.close();
        LOG.info("S3 server stopped");
        stopped.countDown();
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            // Jetty waits for open connections, then closes them and reports the timeout.
            LOG.info("S3 server closed connections still open after {} ms", STOP_TIMEOUT_MS);
            LOG.debug("stop", e);
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
