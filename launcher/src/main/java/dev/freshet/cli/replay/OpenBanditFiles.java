package dev.freshet.cli.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The logs of an Open Bandit Dataset directory: {@code <policy>/<campaign>/<campaign>.csv} (policy
 * {@code random} or {@code bts}, campaign {@code men}, {@code women} or {@code all}) with the
 * campaign's {@code item_context.csv} beside it. A campaign directory without a log (the small
 * sample ships {@code random/all} with item context only) is skipped.
 */
public final class OpenBanditFiles {

    /**
     * @param policy behaviour policy, the directory name
     * @param campaign campaign, the directory name
     * @param log the impression log
     * @param itemContext item features, or null when the campaign has none
     */
    public record Log(String policy, String campaign, Path log, Path itemContext) {}

    private OpenBanditFiles() {}

    /** Where the sample is kept beside a checkout, found by walking up from a directory. */
    public static final String SHARED_LOCATION = "shared/data/open-bandit";

    /** The first {@link #SHARED_LOCATION} in {@code start} or a directory above it. */
    public static Optional<Path> locateAbove(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(SHARED_LOCATION);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Every log under {@code dir}, in a fixed order (by policy, then campaign). */
    public static List<Log> find(Path dir) throws IOException {
        List<Log> logs = new ArrayList<>();
        for (Path policy : sortedDirectories(dir)) {
            for (Path campaign : sortedDirectories(policy)) {
                String name = campaign.getFileName().toString();
                Path log = campaign.resolve(name + ".csv");
                if (Files.isRegularFile(log)) {
                    Path items = campaign.resolve("item_context.csv");
                    logs.add(
                            new Log(
                                    policy.getFileName().toString(),
                                    name,
                                    log,
                                    Files.isRegularFile(items) ? items : null));
                }
            }
        }
        return logs;
    }

    private static List<Path> sortedDirectories(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }
}
