package dev.freshet.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole local stack ({@code freshet local}, one JVM) for {@code soak.minutes} at {@code
 * soak.rate}, sampled every {@code soak.sample-seconds} from {@code /proc} and the trainer's
 * metrics; after {@code soak.warmup} the trainer's lag must stay bounded, threads, open files and
 * RSS flat (SoakThresholds says by how much and why). A SIGTERM then stops it, cleanly. Results in
 * reliability/target/soak/: soak.md, samples.csv (written as sampled) and the stack's stdout,
 * stderr and directory.
 */
class SoakIT {

    private static final Logger LOG = LoggerFactory.getLogger(SoakIT.class);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(3);

    /** Start-up, then the pipeline filling its windows (2.5 min with local's) on a busy machine. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(8);

    @Test
    void theStackRunsWithBoundedLagAndFlatThreadsOpenFilesAndMemory() throws Exception {
        assumeTrue(ProcessProbe.available(), "needs Linux /proc");
        SoakSettings settings = SoakSettings.fromSystemProperties();
        Path dir = Path.of("target", "soak").toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        LOG.info("soak: {}", settings);
        // The soak's clock (sample times, warm-up, length) starts when the trainer trains.

        List<SoakSample> samples = new ArrayList<>();
        Optional<Integer> exit;
        SoakStack stack = SoakStack.start(settings, dir);
        double startupSeconds;
        Census atWarmup = null;
        Census atEnd = null;
        // Written as it is sampled, so a run cut short (Maven interrupted) still leaves its data.
        try (stack;
                PrintWriter csv =
                        new PrintWriter(
                                Files.newBufferedWriter(dir.resolve("samples.csv")), true)) {
            csv.println(SoakSample.CSV_HEADER);
            long launched = System.nanoTime();
            assertThat(stack.awaitReady(START_TIMEOUT))
                    .as("the stack started within %s; see %s", START_TIMEOUT, dir)
                    .isTrue();
            ProcessProbe probe = new ProcessProbe(stack.pid());
            assertThat(stack.awaitTraining(START_TIMEOUT))
                    .as("the trainer trained within %s; see %s", START_TIMEOUT, dir)
                    .isTrue();
            long start = System.nanoTime();
            startupSeconds = (start - launched) / 1e9;
            LOG.info("soak: training after {} s", Math.round(startupSeconds));
            long end = start + settings.length().toNanos();
            long next = start;
            while (System.nanoTime() < end) {
                assertThat(stack.isAlive())
                        .as("the stack is running; see %s", dir.resolve("stdout.txt"))
                        .isTrue();
                double seconds = (System.nanoTime() - start) / 1e9;
                SoakSample sample = sample(stack, probe, seconds);
                samples.add(sample);
                csv.println(sample.csv());
                if (atWarmup == null && seconds >= settings.warmup().toSeconds()) {
                    atWarmup = Census.of(probe);
                }
                next += settings.every().toNanos();
                // A fixed schedule, not a sleep after each sample: a slow scrape does not drift it.
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            }
            atEnd = Census.of(probe);
            exit = stack.stop(STOP_TIMEOUT);
        }

        SoakAnalysis analysis =
                new SoakAnalysis(
                        samples,
                        settings.warmup().toSeconds(),
                        settings.rate(),
                        settings.thresholds());
        SoakReport report =
                new SoakReport(settings, analysis, startupSeconds, exit, atWarmup, atEnd);
        report.write(dir);
        LOG.info(report.summary());
        System.out.println(report.summary());

        assertThat(exit).as("stopped within %s after SIGTERM", STOP_TIMEOUT).isPresent();
        assertThat(exit.get())
                .as("exit code after SIGTERM (0, or 143 once the shutdown hooks ran)")
                .isIn(0, 143);
        assertThat(stack.stoppedCleanly())
                .as("printed Stopped. and no failure; stop line: %s", stack.stopLine())
                .isTrue();
        assertThat(analysis.checks())
                .as("checks; see %s", dir.resolve("soak.md"))
                .noneMatch(SoakAnalysis.Check::failed);
    }

    private static SoakSample sample(SoakStack stack, ProcessProbe probe, double seconds)
            throws java.io.IOException {
        ProcessProbe.Reading r = probe.read();
        Optional<TrainerScrape> m = stack.scrape();
        return new SoakSample(
                seconds,
                r.rssKib(),
                r.threads(),
                r.openFiles(),
                r.stateFiles(),
                m.map(s -> s.get(TrainerScrape.LAG)).orElse(-1L),
                m.map(s -> s.get(TrainerScrape.TRAINED)).orElse(-1L),
                m.map(s -> s.get(TrainerScrape.VERSIONS)).orElse(-1L),
                m.map(TrainerScrape::heapUsedBytes).orElse(-1L),
                m.map(s -> s.get(TrainerScrape.LIVE_HEAP)).orElse(-1L),
                stack.impressions(),
                stack.committed());
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
