package dev.freshet.registry;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.registry.api.NativeApi;
import dev.freshet.registry.api.OpenApi;
import dev.freshet.registry.http.HttpAdapter;
import dev.freshet.registry.http.Response;
import dev.freshet.registry.http.Router;
import dev.freshet.registry.http.WriteToken;
import dev.freshet.registry.index.ModelRegistry;
import dev.freshet.registry.mlflow.MlflowApi;
import dev.freshet.registry.web.WebPage;
import dev.freshet.store.ObjectStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry as a running HTTP service: the index over the object store, refreshed on a timer,
 * and {@link #routing} on the JDK's HttpServer.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle and the
        // client's delayed ACK hold every keep-alive answer ~40 ms. Read once, when the JDK's
        // server configuration first loads, so it must be set before any HttpServer exists.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Thread refresher;
    private final ModelRegistry registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RegistryServer(
            HttpServer server, ExecutorService executor, Thread refresher, ModelRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.refresher = refresher;
        this.registry = registry;
    }

    /**
     * Reads the bucket once (a store that is down leaves the registry unready, not failed: the
     * refresh thread keeps trying) and starts serving.
     */
    public static RegistryServer start(RegistryConfig config, ObjectStore store)
            throws IOException {
        ModelRegistry registry = new ModelRegistry(store, Clock.systemUTC());
        try {
            registry.refresh();
        } catch (RuntimeException e) {
            LOG.warn(
                    "The object store is not readable yet ({}); not ready until it is",
                    e.getMessage());
        }
        RegistryMetrics metrics = new RegistryMetrics(registry);
        Router router = routing(registry, config, metrics);
        HttpServer server = HttpServer.create(new InetSocketAddress(config.port()), 256);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(
                        config.threads(),
                        config.threads(),
                        0,
                        TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>(),
                        task -> {
                            Thread t =
                                    new Thread(
                                            task, "freshet-registry-http-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        // All workers up front: a fixed pool otherwise adds one per request until it is full,
        // which for the first quarter hour of a quiet registry looks exactly like a thread leak
        // (the soak test saw 5 -> 46) and makes the first burst pay for thread creation.
        executor.prestartAllCoreThreads();
        server.setExecutor(executor);
        server.createContext(
                "/",
                new HttpAdapter(
                        router, WriteToken.of(config.token()), config.maxBodyBytes(), metrics));
        server.start();
        Thread refresher = registry.startRefreshing(config.refresh());
        if (config.token().isEmpty()) {
            LOG.warn(
                    "No write token ({} or {}): every write (register, promote, reject) is refused",
                    RegistryToken.TOKEN,
                    RegistryToken.TOKEN_FILE);
        }
        LOG.info("Registry listening on port {}", server.getAddress().getPort());
        return new RegistryServer(server, executor, refresher, registry);
    }

    /** Every route of the service, for any server (tests and benchmarks reuse it). */
    public static Router routing(
            ModelRegistry registry, RegistryConfig config, RegistryMetrics metrics) {
        Router router = new Router();
        new NativeApi(registry, config.presignExpiry(), config.maxWaiters()).routes(router);
        new MlflowApi(registry).routes(router);
        OpenApi.routes(router);
        WebPage.routes(router);
        router.get("/healthz", q -> Response.ok(Map.of("status", "UP")))
                .get(
                        "/readyz",
                        q ->
                                registry.loaded()
                                        ? Response.ok(Map.of("status", "READY"))
                                        : Response.json(503, Map.of("status", "NOT_READY")))
                .get("/metrics", q -> Response.text(200, METRICS_CONTENT_TYPE, metrics.scrape()));
        return router;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://localhost:" + port());
    }

    public ModelRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        refresher.interrupt();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Registry on port {} stopped", port());
    }
}
