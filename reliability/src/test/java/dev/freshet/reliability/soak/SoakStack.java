package dev.freshet.reliability.soak;

import dev.freshet.testing.Checkout;
import dev.freshet.testing.ChildCli;
import dev.freshet.testing.LocalStackPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code freshet local} as a child JVM on free ports, its stdout kept in a file and its newest
 * status line parsed, its trainer metrics scraped.
 */
final class SoakStack implements AutoCloseable {

    /** The progress line's counters (ProgressReporter.statusLine). */
    private static final Pattern STATUS =
            Pattern.compile("in ([\\d,]+) impr \\+ [\\d,]+ eng  samples ([\\d,]+) \\(dlq");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final URI metrics;
    private final Thread reader;
    private volatile long impressions = -1;
    private volatile long committed = -1;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile String stopLine;

    private SoakStack(Process process, URI metrics, Path stdout) throws IOException {
        this.process = process;
        this.metrics = metrics;
        PrintWriter copy = new PrintWriter(Files.newBufferedWriter(stdout), true);
        this.reader = new Thread(() -> read(process.getInputStream(), copy), "soak-stack-stdout");
        reader.setDaemon(true);
        reader.start();
        // A test JVM that ends early (Maven interrupted, the fork timed out) takes the stack, its
        // ports and its 3 GiB with it instead of leaving them to the next run.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "soak-stack-cleanup"));
    }

    /** Starts the stack on {@code dir} (a fresh directory) for at most {@code length} + slack. */
    static SoakStack start(SoakSettings settings, Path dir) throws IOException {
        int[] ports = LocalStackPorts.take();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "local",
                                "--dir",
                                dir.resolve("stack").toString(),
                                "--rate",
                                Long.toString(Math.round(settings.rate())),
                                // A backstop only: the soak stops it with SIGTERM.
                                "--duration",
                                settings.length().plusMinutes(5).toSeconds() + "s"));
        args.addAll(LocalStackPorts.options(ports));
        if (settings.quick()) {
            Path config = dir.resolve("quick.yaml");
            try (InputStream in = SoakStack.class.getResourceAsStream("quick.yaml")) {
                Files.write(config, in.readAllBytes());
            }
            // Engagement delays scaled to windows of seconds, as LocalStackIT does.
            args.addAll(List.of("--config", config.toString(), "--delay-scale", "0.01"));
        }
        Process process =
                ChildCli.builder(Checkout.ROOT.resolve("launcher"), settings.jvmFlags(), args)
                        .redirectError(dir.resolve("stderr.txt").toFile())
                        .start();
        return new SoakStack(
                process,
                URI.create("http://localhost:" + ports[LocalStackPorts.METRICS] + "/metrics"),
                dir.resolve("stdout.txt"));
    }

    /**
     * Waits for the first status line: every component has started and the simulator sends. The
     * soak's clock starts here, so a start-up slowed by a loaded machine does not eat the warm-up.
     */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.await(1, TimeUnit.SECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until the trainer has trained its first samples: every stage has work, so the warm-up
     * that follows is the same however long the pipeline took to fill its windows (2.5 minutes with
     * local's, seconds with the quick config, longer on a loaded machine).
     */
    boolean awaitTraining(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (scrape().map(s -> s.get(TrainerScrape.TRAINED)).orElse(-1L) > 0) {
                return true;
            }
            Thread.sleep(1_000);
        }
        return false;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long impressions() {
        return impressions;
    }

    long committed() {
        return committed;
    }

    /** The trainer's metrics now, or empty while its server is not up. */
    Optional<TrainerScrape> scrape() {
        try {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200
                    ? Optional.of(TrainerScrape.parse(r.body()))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * SIGTERM, what Ctrl-C does, and the exit code once every component has stopped (the JVM's 143
     * for "ended by SIGTERM after its shutdown hooks ran" or 0), or empty if it did not stop within
     * {@code timeout}.
     */
    Optional<Integer> stop(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its stdout.
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        reader.join(10_000);
        return Optional.of(process.exitValue());
    }

    /** Whether the stack printed its "Stopped." line, and not a "Stopping: <failure>" one. */
    boolean stoppedCleanly() {
        return stopped && (stopLine == null || !stopLine.startsWith("Stopping: "));
    }

    String stopLine() {
        return stopLine;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void read(InputStream in, PrintWriter copy) {
        try (copy;
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                copy.println(line);
                Matcher m = STATUS.matcher(line);
                if (m.find()) {
                    ready.countDown();
                    impressions = Long.parseLong(m.group(1).replace(",", ""));
                    committed = Long.parseLong(m.group(2).replace(",", ""));
                } else if (line.startsWith("Stopping")) {
                    stopLine = line;
                } else if (line.startsWith("Stopped.")) {
                    stopped = true;
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
