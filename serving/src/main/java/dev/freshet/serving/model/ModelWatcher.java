package dev.freshet.serving.model;

import dev.freshet.manifest.Manifest;
import dev.freshet.serving.registry.AliasLookup;
import dev.freshet.serving.registry.RegistryClient;
import dev.freshet.serving.registry.RegistryException;
import dev.freshet.serving.registry.RemoteFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one alias of one model on the registry and keeps the version behind it served in a {@link
 * ModelSlot}: long-polls the alias, downloads a new version into a fresh directory, has the {@link
 * ModelLoader} verify, load and warm it up, and swaps it in. On any failure the last good model
 * stays served; the failed version is tried again after a backoff that doubles per failure, or
 * skipped as soon as the alias moves on. While the registry is unreachable it backs off the same
 * way. It never stops on an error; only {@link #close()} stops it.
 */
public final class ModelWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);
    private static final String DIR_PREFIX = "version-";

    /** Told of every swap and every failure, on the watcher's thread. */
    public interface Listener {
        default void swapped(Long from, long to) {}

        default void failed(LoadFailure failure) {}
    }

    private final RegistryClient registry;
    private final WatcherSettings settings;
    private final ModelSlot slot;
    private final ModelLoader loader;
    private final Listener listener;
    private final Clock clock = Clock.systemUTC();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong directories = new AtomicLong();
    private final Thread thread;
    private volatile LoadFailure lastFailure;
    private Path servedDir;

    public ModelWatcher(
            RegistryClient registry, WatcherSettings settings, ModelSlot slot, Listener listener) {
        this.registry = registry;
        this.settings = settings;
        this.slot = slot;
        this.loader = new ModelLoader(settings.threads(), settings.tolerance());
        this.listener = listener;
        this.thread = new Thread(this::run, "freshet-model-watcher-" + settings.model());
        thread.setDaemon(true);
    }

    /** Starts following the alias on the watcher's own thread. */
    public ModelWatcher start() throws IOException {
        Files.createDirectories(settings.workDir());
        try (var children = Files.list(settings.workDir())) {
            for (Path p : children.toList()) {
                if (p.getFileName().toString().startsWith(DIR_PREFIX)) {
                    deleteTree(p);
                }
            }
        }
        LOG.info(
                "Following {}/{} on {}, versions in {}",
                settings.model(),
                settings.alias(),
                registry.uri(),
                settings.workDir());
        thread.start();
        return this;
    }

    /** The version being served, or null before the first one loaded. */
    public Long servedVersion() {
        return slot.servedVersion();
    }

    /** The last failure (a version that could not be served, or the registry unreachable). */
    public LoadFailure lastFailure() {
        return lastFailure;
    }

    /** Waits until {@code version} is served; false if {@code timeout} passed first. */
    public boolean awaitVersion(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!Long.valueOf(version).equals(slot.servedVersion())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    private void run() {
        // Where the alias was at the last answer; 0 while it does not exist. Asking "after 0"
        // long-polls for the first version too.
        long known = 0;
        int unreachable = 0;
        while (stop.getCount() > 0) {
            try {
                AliasLookup a =
                        registry.alias(settings.model(), settings.alias(), known, pollWait(known));
                unreachable = 0;
                switch (a.state()) {
                    case ABSENT -> {
                        // A registry that answers 404 at once does not hold the request.
                        known = 0;
                        pause(settings.retryMin());
                        continue;
                    }
                    case AT -> known = a.version();
                    case UNCHANGED -> {}
                }
                if (known != 0 && due(known)) {
                    install(known);
                }
            } catch (RegistryException e) {
                if (stop.getCount() == 0) {
                    break; // close() interrupted the long-poll
                }
                unreachable++;
                Duration backoff = settings.backoff(unreachable);
                fail(0, reasonOf(e), e.getMessage(), unreachable, backoff);
                pause(backoff);
            } catch (RuntimeException e) {
                LOG.error("Unexpected error following {}", settings.alias(), e);
                fail(0, FailureReason.REGISTRY_ERROR, e.toString(), 1, settings.retryMin());
                pause(settings.retryMin());
            }
        }
    }

    /** How long to let the registry hold a long-poll: until a failed version is due again. */
    private Duration pollWait(long known) {
        LoadFailure f = lastFailure;
        if (known != 0 && f != null && f.version() == known) {
            Duration left = Duration.between(clock.instant(), f.retryAt());
            if (left.compareTo(settings.pollWait()) < 0) {
                return left.isNegative() ? Duration.ZERO : left;
            }
        }
        return settings.pollWait();
    }

    /** Whether {@code version} should be installed now. */
    private boolean due(long version) {
        if (Long.valueOf(version).equals(slot.servedVersion())) {
            return false;
        }
        LoadFailure f = lastFailure;
        return f == null || f.version() != version || !clock.instant().isBefore(f.retryAt());
    }

    private void install(long version) {
        Path dir =
                settings.workDir()
                        .resolve(DIR_PREFIX + version + "-" + directories.incrementAndGet());
        LOG.info("Installing {} version {}", settings.model(), version);
        try {
            Manifest manifest = download(version, dir);
            LoadedModel model = loader.load(dir, manifest);
            Long from = slot.servedVersion();
            synchronized (this) {
                slot.swap(model);
                notifyAll();
            }
            Path previous = servedDir;
            servedDir = dir;
            if (previous != null) {
                deleteTree(previous);
            }
            LoadFailure f = lastFailure;
            if (f != null && f.version() == version) {
                lastFailure = null;
            }
            LOG.info("Serving {} version {} (was {})", settings.model(), version, from);
            listener.swapped(from, version);
        } catch (ModelLoadException e) {
            failed(version, dir, e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Unexpected error installing version {}", version, e);
            failed(version, dir, FailureReason.LOAD_ERROR, e.toString());
        }
    }

    private void failed(long version, Path dir, FailureReason reason, String detail) {
        deleteTree(dir);
        LoadFailure f = lastFailure;
        int attempts = f != null && f.version() == version ? f.attempts() + 1 : 1;
        fail(version, reason, detail, attempts, settings.backoff(attempts));
    }

    private Manifest download(long version, Path dir) throws ModelLoadException {
        try {
            Files.createDirectories(dir);
            Manifest manifest = registry.manifest(settings.model(), version);
            if (manifest.version() != version) {
                throw new ModelLoadException(
                        FailureReason.REGISTRY_ERROR,
                        "version " + version + " has the manifest of " + manifest.version());
            }
            Map<String, RemoteFile> remote =
                    registry.files(settings.model(), version).stream()
                            .collect(
                                    Collectors.toMap(
                                            RemoteFile::name, Function.identity(), (a, b) -> a));
            for (Manifest.FileEntry f : manifest.files()) {
                if (f.name().contains("/") || f.name().startsWith(".")) {
                    throw new ModelLoadException(
                            FailureReason.REGISTRY_ERROR, "unsafe file name " + f.name());
                }
                RemoteFile r =
                        remote.getOrDefault(f.name(), new RemoteFile(f.name(), null, -1, null));
                try {
                    registry.download(settings.model(), version, r, dir.resolve(f.name()));
                } catch (RegistryException e) {
                    throw new ModelLoadException(
                            e.status() == 404 ? FailureReason.MISSING_FILE : reasonOf(e),
                            e.getMessage(),
                            e);
                }
            }
            return manifest;
        } catch (RegistryException e) {
            throw new ModelLoadException(reasonOf(e), e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(
                    FailureReason.LOAD_ERROR, "cannot write " + dir + ": " + e, e);
        }
    }

    private void fail(
            long version, FailureReason reason, String detail, int attempts, Duration retryIn) {
        Instant now = clock.instant();
        LoadFailure f = new LoadFailure(version, reason, detail, now, attempts, now.plus(retryIn));
        lastFailure = f;
        Long served = slot.servedVersion();
        if (version == 0) {
            LOG.warn("Registry: {} ({}); retrying in {}", detail, reason.wireName(), retryIn);
        } else {
            LOG.warn(
                    "Version {} not served ({}: {}); still serving {}; retrying in {} unless a"
                            + " newer version appears",
                    version,
                    reason.wireName(),
                    detail,
                    served,
                    retryIn);
        }
        listener.failed(f);
    }

    private static FailureReason reasonOf(RegistryException e) {
        return e.unavailable() ? FailureReason.REGISTRY_UNAVAILABLE : FailureReason.REGISTRY_ERROR;
    }

    private void pause(Duration d) {
        try {
            stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", root, e.getMessage());
        }
    }

    /** Stops following; the served model stays in the slot (its owner closes it). */
    @Override
    public void close() {
        stop.countDown();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Stopped following {}/{}", settings.model(), settings.alias());
    }

    List<Path> versionDirectories() throws IOException {
        try (var children = Files.list(settings.workDir())) {
            return children.filter(p -> p.getFileName().toString().startsWith(DIR_PREFIX)).toList();
        }
    }
}
