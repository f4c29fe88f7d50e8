package dev.freshet.testing;

import java.net.URI;
import java.security.SecureRandom;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 server (S3Proxy with its in-memory {@code transient-nio2} blob store) running in this
 * JVM on a free loopback port, with random credentials that requests must be signed with (AWS
 * signature V2 or V4). It supports conditional writes ({@code If-None-Match: *}, {@code If-Match}),
 * listing, multipart uploads and presigned URLs.
 *
 * <p>{@link #stop()} takes the endpoint away (connections are refused) and keeps the data; {@link
 * #start()} serves the same data on the same port again, for outage tests. Another process can take
 * the port while the server is stopped; tests on one machine rarely see it.
 */
public final class S3Server implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /**
     * No graceful stop: Jetty would otherwise wait for clients' idle keep-alive connections to
     * close, and an outage test wants the connections cut at once.
     */
    private static final long STOP_TIMEOUT_MS = 0;

    private final BlobStore blobStore = new TransientNio2BlobStore();
    private final String accessKey = random(KEY_CHARS, 20);
    private final String secretKey = random(SECRET_CHARS, 40);
    private volatile int port;
    private S3Proxy proxy;

    private S3Server() {}

    /** A running server with no buckets, on a free port. */
    public static S3Server startOnFreePort() {
        S3Server server = new S3Server();
        server.start();
        return server;
    }

    /**
     * Serves again, on the same port and with the same data, after {@link #stop()}; does nothing
     * while running.
     */
    public synchronized void start() {
        if (proxy != null) {
            return;
        }
        // A new S3Proxy (and Jetty server) per start, over the same blob store and port.
        S3Proxy next =
                S3Proxy.builder()
                        .blobStore(blobStore)
                        .endpoint(URI.create("http://" + HOST + ":" + port))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                        .jettyMaxThreads(32)
                        .stopTimeout(STOP_TIMEOUT_MS)
                        .build();
        try {
            next.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy on " + HOST + ":" + port, e);
        }
        port = next.getPort();
        proxy = next;
    }

    /** Stops serving: requests fail with connection refused until {@link #start()}. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy", e);
        } finally {
            proxy = null;
        }
    }

    public synchronized boolean running() {
        return proxy != null;
    }

    /** {@code http://127.0.0.1:PORT}, for path-style requests. */
    public String endpoint() {
        return "http://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The region S3Proxy reports; any region signs correctly. */
    public String region() {
        return "us-east-1";
    }

    /** Creates {@code name} unless it exists; works while stopped too. */
    public void createBucket(String name) {
        if (!blobStore.containerExists(name)) {
            blobStore.createContainer(name);
        }
    }

    @Override
    public void close() {
        stop();
        blobStore.close();
    }

    private static String random(String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "S3Server[" + endpoint() + (running() ? "" : ", stopped") + "]";
    }
}
