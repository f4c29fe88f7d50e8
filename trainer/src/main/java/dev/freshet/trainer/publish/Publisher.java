package dev.freshet.trainer.publish;

import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes checkpoints as immutable versions under {@code models/<model>/versions/<v>/}: every
 * file first, each by a conditional PUT, then {@code manifest.json} last, also conditional. A
 * version exists exactly when its manifest does; a writer that finds any key of version v taken
 * (another trainer, or the leftovers of one killed mid-upload) moves on to v + 1, so two writers
 * can never both own a version and nothing is ever overwritten.
 */
public final class Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final ObjectStore store;
    private final String model;

    public Publisher(ObjectStore store, String model) {
        this.store = store;
        this.model = model;
    }

    public String versionsPrefix() {
        return "models/" + model + "/versions/";
    }

    public String versionPrefix(long version) {
        return versionsPrefix() + version + "/";
    }

    /** Uploads {@code files} from {@code dir} and the manifest; returns the version it got. */
    public Manifest publish(Path dir, List<String> files, Manifest manifest) {
        long version = Math.max(highestUsed() + 1, 1);
        while (true) {
            // The start of an upload is worth a line: its end is the "Published" one, and a crash
            // between the two leaves a version without a manifest, which no one is ever shown.
            LOG.info("Uploading {} version {} ({} files)", model, version, files.size());
            if (tryPublish(dir, files, manifest.withVersion(version))) {
                LOG.info("Published {} version {} ({} files)", model, version, files.size());
                return manifest.withVersion(version);
            }
            LOG.info("Version {} of {} is taken; trying {}", version, model, version + 1);
            version++;
        }
    }

    private boolean tryPublish(Path dir, List<String> files, Manifest manifest) {
        String prefix = versionPrefix(manifest.version());
        for (String name : files) {
            if (!store.putIfAbsent(prefix + name, read(dir.resolve(name)), contentType(name))) {
                return false;
            }
        }
        return store.putIfAbsent(
                prefix + Manifest.FILE, ManifestJson.toBytes(manifest), "application/json");
    }

    /** Keeps the manifest of a candidate the gate rejected, for the operator to read. */
    public void reject(Manifest manifest) {
        store.put(
                "models/" + model + "/rejected/" + manifest.candidate() + "/" + Manifest.FILE,
                ManifestJson.toBytes(manifest),
                "application/json");
    }

    /** Published versions (those with a manifest), ascending. */
    public List<Long> versions() {
        List<Long> out = new ArrayList<>();
        for (String key : store.list(versionsPrefix())) {
            if (key.endsWith("/" + Manifest.FILE)) {
                parseVersion(key).ifPresent(out::add);
            }
        }
        out.sort(null);
        return out;
    }

    /** The newest published version's manifest. */
    public Optional<Manifest> newest() {
        List<Long> versions = versions();
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        return manifest(versions.get(versions.size() - 1));
    }

    public Optional<Manifest> manifest(long version) {
        return store.get(versionPrefix(version) + Manifest.FILE)
                .map(
                        bytes -> {
                            try {
                                return ManifestJson.parse(bytes);
                            } catch (IOException e) {
                                throw new UncheckedIOException(
                                        "unreadable manifest of version " + version, e);
                            }
                        });
    }

    /** Downloads the files of {@code version} into {@code dir}. */
    public void download(Manifest manifest, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Manifest.FileEntry f : manifest.files()) {
            if (!store.download(
                    versionPrefix(manifest.version()) + f.name(), dir.resolve(f.name()))) {
                throw new IOException("version " + manifest.version() + " lacks " + f.name());
            }
            String sha = Checksums.sha256(dir.resolve(f.name()));
            if (!sha.equals(f.sha256())) {
                throw new IOException(
                        "version "
                                + manifest.version()
                                + ": "
                                + f.name()
                                + " has sha256 "
                                + sha
                                + ", manifest says "
                                + f.sha256());
            }
        }
    }

    /** The highest version number any key uses, manifest or not (leftovers count as taken). */
    private long highestUsed() {
        TreeSet<Long> used = new TreeSet<>();
        for (String key : store.list(versionsPrefix())) {
            parseVersion(key).ifPresent(used::add);
        }
        return used.isEmpty() ? 0 : used.last();
    }

    private Optional<Long> parseVersion(String key) {
        String rest = key.substring(versionsPrefix().length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(rest.substring(0, slash)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String contentType(String name) {
        return name.endsWith(".json") ? "application/json" : "application/octet-stream";
    }
}
