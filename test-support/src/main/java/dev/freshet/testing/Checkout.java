package dev.freshet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Freshet checkout a test runs in, for tests that check files outside their module (the compose
 * file, the Dockerfile, the Helm chart) against what the code really reads.
 */
public final class Checkout {

    /** The repository root: the nearest directory above the working one with the root pom. */
    public static final Path ROOT = findRoot();

    private Checkout() {}

    /** A file of the checkout, by its path from the root. */
    public static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether any main source file of any module contains {@code literal}. */
    public static boolean mainSourcesContain(String literal) {
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path main :
                    modules.map(d -> d.resolve("src/main")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    List<Path> regular = files.filter(Files::isRegularFile).toList();
                    for (Path file : regular) {
                        if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                                .contains(literal)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docker-compose.yml"))
                    && Files.isRegularFile(d.resolve("pom.xml"))
                    && Files.isDirectory(d.resolve("launcher"))) {
                return d;
            }
        }
        throw new IllegalStateException("no Freshet checkout above " + dir);
    }
}
