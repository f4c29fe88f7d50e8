package dev.freshet.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code freshet} as a child process the way bin/freshet does: this module's classes on the
 * runtime classpath Maven wrote (target/classpath.txt, at package time, before failsafe runs), the
 * same JVM flags and environment.
 */
public final class ChildCli {

    private ChildCli() {}

    /** What Maven put together for this module: its classes and its runtime classpath. */
    public static String classpath() {
        try {
            Path target = Path.of("target");
            return target.resolve("classes").toAbsolutePath()
                    + File.pathSeparator
                    + Files.readString(target.resolve("classpath.txt")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "run through Maven (mvn verify) so target/classpath.txt exists", e);
        }
    }

    /** A process builder for {@code freshet args...} with extra JVM flags before the class. */
    public static ProcessBuilder builder(List<String> jvmFlags, List<String> args) {
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
        command.add(classpath());
        command.add("dev.freshet.cli.FreshetCli");
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("MKL_CBWR", "AUTO,STRICT");
        pb.environment().put("DJL_OFFLINE", "true");
        return pb;
    }
}
