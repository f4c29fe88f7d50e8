package dev.freshet.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code freshet} as a child process the way bin/freshet does: the launcher's classes on the
 * runtime classpath Maven wrote for it (launcher/target/classpath.txt, at package time, before
 * failsafe runs), the same JVM flags and environment. The launcher's tests run in the launcher's
 * directory; another module's pass the launcher's directory (its tests' classpath is not the
 * launcher's runtime one).
 */
public final class ChildCli {

    private ChildCli() {}

    /** What Maven put together for the module in the working directory (the launcher's tests). */
    public static String classpath() {
        return classpath(Path.of(""));
    }

    /** What Maven put together for the launcher in {@code launcher}: its classes and classpath. */
    public static String classpath(Path launcher) {
        Path target = launcher.resolve("target");
        try {
            return target.resolve("classes").toAbsolutePath()
                    + File.pathSeparator
                    + Files.readString(target.resolve("classpath.txt")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "build the launcher first (mvn install, or mvn verify from the root) so "
                            + target.resolve("classpath.txt")
                            + " exists",
                    e);
        }
    }

    /** A process builder for {@code freshet args...} with extra JVM flags before the class. */
    public static ProcessBuilder builder(List<String> jvmFlags, List<String> args) {
        return builder(Path.of(""), jvmFlags, args);
    }

    /** The same, for the launcher built in {@code launcher}. */
    public static ProcessBuilder builder(Path launcher, List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // bin/freshet's flags.
        command.add("--add-opens");
        command.add("java.base/java.util=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.lang=ALL-UNNAMED");
        command.add("-Dsun.net.httpserver.nodelay=true");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classpath(launcher));
        command.add("dev.freshet.cli.FreshetCli");
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("MKL_CBWR", "AUTO,STRICT");
        pb.environment().put("DJL_OFFLINE", "true");
        return pb;
    }
}
