package dev.freshet.trainer.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.manifest.ManifestJson;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local checkpoints under {@code <state-dir>/checkpoints/<sequence>/}, each complete before it
 * becomes visible: written into a temporary directory that is renamed into place last (an atomic
 * rename on one file system), so a crash at any moment leaves either the whole checkpoint or none.
 */
final class LocalState {

    private static final Logger LOG = LoggerFactory.getLogger(LocalState.class);
    static final String POSITION = "position.json";
    static final String PUBLISHED = "published.json";
    private static final ObjectMapper JSON = ManifestJson.mapper();

    private final Path root;

    LocalState(Path stateDir) throws IOException {
        this.root = stateDir.resolve("checkpoints");
        Files.createDirectories(root);
        try (Stream<Path> leftovers = Files.list(root)) {
            for (Path p :
                    leftovers.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                deleteTree(p);
            }
        }
    }

    /** A fresh, empty directory to write a checkpoint into; {@link #commit} makes it visible. */
    Path begin(long sequence) throws IOException {
        Path tmp = root.resolve(name(sequence) + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        return tmp;
    }

    Path commit(Path tmp, Position position) throws IOException {
        Files.write(tmp.resolve(POSITION), JSON.writeValueAsBytes(position));
        Path target = root.resolve(name(position.sequence()));
        deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** The newest complete checkpoint. */
    Optional<Path> newest() throws IOException {
        List<Path> all = all();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    Position position(Path checkpoint) throws IOException {
        return JSON.readValue(checkpoint.resolve(POSITION).toFile(), Position.class);
    }

    void markPublished(Path checkpoint, long version) throws IOException {
        Path tmp = checkpoint.resolve(PUBLISHED + ".tmp");
        Files.writeString(tmp, "{\"version\": " + version + "}");
        Files.move(tmp, checkpoint.resolve(PUBLISHED), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes all but the newest {@code keep} checkpoints, never one in {@code protect}. */
    void prune(int keep, Set<Path> protect) throws IOException {
        List<Path> all = all();
        for (int i = 0; i < all.size() - keep; i++) {
            if (!protect.contains(all.get(i))) {
                deleteTree(all.get(i));
            }
        }
    }

    private List<Path> all() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                if (!d.getFileName().toString().endsWith(".tmp")
                        && Files.exists(d.resolve(POSITION))) {
                    out.add(d);
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    private static String name(long sequence) {
        return String.format("%012d", sequence);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", p, e.getMessage());
        }
    }
}
