package dev.freshet.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The checkout the helm module sits in: the Dockerfile and the main sources the chart names. */
final class RepoFiles {

    static final Path ROOT = findRoot();

    private RepoFiles() {}

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether any main source file of any module contains {@code literal}. */
    static boolean mainSourcesContain(String literal) {
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

    /** The build targets (stage names) of docker/Dockerfile. */
    static List<String> dockerfileTargets() {
        Matcher m =
                Pattern.compile("(?mi)^FROM\\s+\\S+\\s+AS\\s+(\\S+)\\s*$")
                        .matcher(read("docker/Dockerfile"));
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("helm/freshet"))
                    && Files.isRegularFile(d.resolve("docker/Dockerfile"))) {
                return d;
            }
        }
        throw new IllegalStateException("no helm/freshet above " + dir);
    }
}
