package dev.freshet.cli.replay;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Open Bandit sample ({@code shared/data/open-bandit}) above the working directory. */
final class OpenBanditData {

    private OpenBanditData() {}

    /** The directory; skips the calling test when it is not there. */
    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/open-bandit");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        assumeTrue(
                false,
                "Open Bandit sample not found in shared/data/open-bandit above "
                        + Path.of("").toAbsolutePath());
        throw new AssertionError("unreachable");
    }
}
