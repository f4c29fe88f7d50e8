package dev.freshet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link JobRunner} in its own JVM. Each job kind gets a fresh JVM so neither profits from the
 * other's JIT warm-up or garbage, and so its CPU time can be read from the operating system.
 */
final class ChildJob implements AutoCloseable {

    private static final String EXITED = "<exited>";

    private final Process process;
    private final Path log;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private volatile String failure;

    private ChildJob(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJob launch(List<String> jvmOpts, List<String> runnerArgs, Path log)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        cmd.add("--add-opens=java.base/java.util=ALL-UNNAMED");
        cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        String log4j = System.getProperty("log4j2.configurationFile");
        if (log4j != null) {
            cmd.add("-Dlog4j2.configurationFile=" + log4j);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JobRunner.class.getName());
        cmd.addAll(runnerArgs);
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.join(" ", cmd) + "\n");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        ChildJob child = new ChildJob(p, log);
        child.await(JobRunner.READY, Duration.ofSeconds(60));
        return child;
    }

    private void readStdout() {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(JobRunner.FAILED)) {
                    failure = line.substring(JobRunner.FAILED.length());
                }
                if (line.startsWith("BENCH-")) {
                    replies.add(line);
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
        replies.add(EXITED);
    }

    /** Starts a job on the given input topics; returns the epoch ms at which it was running. */
    long run(String tag, String impressions, String engagements) throws Exception {
        send("run " + tag + " " + impressions + " " + engagements);
        String reply = await(JobRunner.RUNNING, Duration.ofSeconds(120));
        return Long.parseLong(reply.substring(JobRunner.RUNNING.length()).trim());
    }

    /** Cancels the running job and waits until it is gone. */
    void stop() throws Exception {
        send("stop");
        await(JobRunner.STOPPED, Duration.ofSeconds(60));
    }

    private void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    private String await(String prefix, Duration timeout) throws Exception {
        String reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null) {
            throw new IllegalStateException(
                    "no " + prefix.trim() + " from the job JVM after " + timeout + "; see " + log);
        }
        if (!reply.startsWith(prefix)) {
            throw new IllegalStateException(
                    "job JVM: " + (failure != null ? failure : reply) + " (log: " + log + ")");
        }
        return reply;
    }

    /** CPU time the child JVM has used so far, all threads. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String failure() {
        return failure;
    }

    Path log() {
        return log;
    }

    /** Asks the JVM to exit, and kills it if it has not within 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            send("exit");
        } catch (IOException e) {
            // already exiting
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
