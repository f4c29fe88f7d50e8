package dev.freshet.reliability.faults;

import dev.freshet.testing.Checkout;
import dev.freshet.testing.ChildCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One Freshet command ({@code kafka}, {@code s3}, {@code pipeline}, ...) as a child JVM, run the
 * way bin/freshet runs it (the launcher's classes and the classpath Maven wrote for it), that can
 * be killed with SIGKILL and started again on the same ports and directories. Each start logs to
 * its own file, so readiness is "this start printed its ready line", never an earlier one's.
 */
final class FreshetProcess {

    private final String name;
    private final List<String> jvmFlags;
    private final List<String> args;
    private final Map<String, String> env;
    private final Path logDir;
    private final Predicate<FreshetProcess> ready;
    private Process process;
    private int starts;

    FreshetProcess(
            String name,
            List<String> jvmFlags,
            List<String> args,
            Map<String, String> env,
            Path logDir,
            Predicate<FreshetProcess> ready) {
        this.name = name;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.args = List.copyOf(args);
        this.env = Map.copyOf(env);
        this.logDir = logDir;
        this.ready = ready;
    }

    String name() {
        return name;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        starts++;
        Path launcher = Checkout.ROOT.resolve("launcher");
        List<String> flags = new ArrayList<>(jvmFlags);
        // bin/freshet's logging: Freshet at INFO, Kafka and Flink warnings only.
        flags.add(
                "-Dlog4j2.configurationFile="
                        + launcher.resolve("target/classes/log4j2-cli.xml").toAbsolutePath());
        ProcessBuilder pb = ChildCli.builder(launcher, flags, args);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log().toFile());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits until this start is ready; fails early, with its log, if it exits first. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.test(this)) {
            if (!isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + " before ready:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        name + " not ready after " + timeout + ":\n" + tail());
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /**
     * SIGTERM (through the process handle: {@code Process.destroy} would close the streams first),
     * then the exit code; a process that ignores it for {@code grace} is killed and that is an
     * error.
     */
    synchronized int stop(Duration grace) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? 0 : process.exitValue();
        }
        process.toHandle().destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(name + " ignored SIGTERM for " + grace);
        }
        return process.exitValue();
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized int exitValue() {
        return process.exitValue();
    }

    synchronized int starts() {
        return starts;
    }

    /** This start's log file. */
    synchronized Path log() {
        return logDir.resolve(name + "-" + starts + ".log");
    }

    boolean logContains(String text) {
        try {
            Path file = log();
            return Files.exists(file) && Files.readString(file).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** The last lines of this start's log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
