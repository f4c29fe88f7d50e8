package dev.freshet.cli.replay;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/** Finds the Open Bandit sample ({@code shared/data/open-bandit}) above the working directory. */
public final class OpenBanditData {

    private OpenBanditData() {}

    /** The directory; skips the calling test when it is not there. */
    public static Path dir() {
        Optional<Path> dir = OpenBanditFiles.locateAbove(Path.of(""));
        assumeTrue(
                dir.isPresent(),
                "Open Bandit sample not found in "
                        + OpenBanditFiles.SHARED_LOCATION
                        + " above "
                        + Path.of("").toAbsolutePath());
        return dir.get();
    }
}
