package dev.freshet.bench;

import dev.freshet.flink.config.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One measured run of one job: a fresh child JVM, optionally warmed up by running the job once on
 * the warm-up topics; then output topics created empty, a read_committed watcher started, the job
 * started, and the clock stopped when the last expected sample is committed.
 */
final class JobMeasurement {

    /** How long to keep reading after the last sample, to catch duplicates. */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    /**
     * @param wallSeconds from the job running to the last expected sample committed
     * @param firstSampleSeconds from the job running to the first sample committed
     * @param lastWrittenSeconds from the job running to the Kafka timestamp of the newest sample
     *     (when the sink wrote it, before the checkpoint committed it)
     * @param steadySeconds between the sink writing the 10% and the 90% quantile sample (Kafka
     *     timestamps): the middle 80% of the work, free of start-up and checkpoint granularity
     * @param cpuSeconds CPU time of the job's JVM (all threads) over {@code wallSeconds}
     * @param threadCpu CPU seconds per kind of thread of the job's JVM over {@code wallSeconds}
     * @param loadBefore 1-minute load average just before the job started
     */
    record Result(
            String job,
            int run,
            long eventsIn,
            int samples,
            int duplicates,
            double wallSeconds,
            double firstSampleSeconds,
            double lastWrittenSeconds,
            double steadySeconds,
            double cpuSeconds,
            int parallelism,
            double loadBefore,
            SideOutputs sideOutputs,
            Map<String, Double> threadCpu,
            LabelCheck.Decoded decoded,
            LabelCheck.Result vsTruth) {

        double eventsPerSecond() {
            return eventsIn / wallSeconds;
        }

        double eventsPerSecondPerSlot() {
            return eventsPerSecond() / parallelism;
        }

        /** Events/s over the middle 80% of the samples, assuming events arrive in proportion. */
        double steadyEventsPerSecond() {
            return 0.8 * eventsIn / steadySeconds;
        }

        double eventsPerCpuSecond() {
            return eventsIn / cpuSeconds;
        }

        /**
         * Events per CPU-second without the JIT compiler threads: closer to a long-running job,
         * whose code was compiled long ago.
         */
        double eventsPerCpuSecondWithoutJit() {
            return eventsIn / (cpuSeconds - threadCpu.getOrDefault("JIT", 0.0));
        }
    }

    private final BenchOptions options;
    private final String bootstrapServers;
    private final EventGenerator.Generated events;
    private final EventGenerator.Generated warmup;

    /**
     * @param events the measured backlog in {@code impressions} / {@code engagements}
     * @param warmup the warm-up backlog in the {@code -warmup} topics, or null for cold JVMs
     */
    JobMeasurement(
            BenchOptions options,
            String bootstrapServers,
            EventGenerator.Generated events,
            EventGenerator.Generated warmup) {
        this.options = options;
        this.bootstrapServers = bootstrapServers;
        this.events = events;
        this.warmup = warmup;
    }

    Result run(String job, int run) throws Exception {
        String tag = "r" + run;
        Path log = options.workDir().resolve(job + "-" + tag + ".log");
        System.out.printf("run %d %-4s: starting a job JVM (log %s)%n", run, job, log);
        try (ChildJob c = ChildJob.launch(jvmOpts(job, tag), runnerArgs(job), log)) {
            if (warmup != null) {
                warmUp(c, job, run);
            }
            return measure(c, job, run, tag);
        }
    }

    /** Runs the job once on the warm-up topics, to the last sample, and stops it. */
    private void warmUp(ChildJob c, String job, int run) throws Exception {
        String tag = "r" + run + "-warmup";
        Topics topics =
                BenchPipeline.topics(
                        job,
                        tag,
                        BenchPipeline.WARMUP_IMPRESSIONS,
                        BenchPipeline.WARMUP_ENGAGEMENTS);
        createTopics(outputTopics(job, topics));
        long t = System.currentTimeMillis();
        try (OutputWatcher watcher =
                new OutputWatcher(bootstrapServers, topics.samples(), warmup.labels().size())
                        .start()) {
            c.run(tag, topics.impressions(), topics.engagements());
            awaitAll(c, watcher, job, run, topics, "warm-up");
        }
        c.stop();
        System.out.printf(
                "run %d %-4s: warm-up (%,d events) took %.1f s%n",
                run, job, warmup.eventCount(), (System.currentTimeMillis() - t) / 1000.0);
    }

    private Result measure(ChildJob c, String job, int run, String tag) throws Exception {
        Topics topics =
                BenchPipeline.topics(
                        job, tag, BenchPipeline.IMPRESSIONS, BenchPipeline.ENGAGEMENTS);
        createTopics(outputTopics(job, topics));
        int expected = events.labels().size();
        AtomicReference<Duration> cpuAtDone = new AtomicReference<>();
        AtomicReference<Map<String, Map.Entry<String, Long>>> threadsAtDone =
                new AtomicReference<>();
        double load = MachineFacts.loadAverage();
        try (OutputWatcher watcher =
                new OutputWatcher(bootstrapServers, topics.samples(), expected)
                        .onDone(
                                () -> {
                                    cpuAtDone.set(c.cpu());
                                    threadsAtDone.set(ThreadCpu.snapshot(c.pid()));
                                })
                        .start()) {
            startProfile(c, job);
            Duration cpuAtStart = c.cpu();
            var threadsAtStart = ThreadCpu.snapshot(c.pid());
            long runningAt = c.run(tag, topics.impressions(), topics.engagements());
            awaitAll(c, watcher, job, run, topics, "measured");
            stopProfile(c, job, tag);
            Thread.sleep(SETTLE.toMillis());
            watcher.stop();
            c.stop();
            double wall = (watcher.doneAt() - runningAt) / 1000.0;
            double cpu = (cpuAtDone.get().toMillis() - cpuAtStart.toMillis()) / 1000.0;
            SideOutputs side =
                    job.equals("ours")
                            ? SideOutputs.read(
                                    bootstrapServers,
                                    topics.lateEngagements(),
                                    topics.deadLetters())
                            : null;
            LabelCheck.Decoded decoded = LabelCheck.decode(job, watcher.values());
            LabelCheck.Result vsTruth = LabelCheck.compare(events.labels(), decoded.labels());
            Result r =
                    new Result(
                            job,
                            run,
                            events.eventCount(),
                            watcher.values().size(),
                            watcher.duplicates(),
                            wall,
                            (watcher.firstAt() - runningAt) / 1000.0,
                            (watcher.maxRecordTimestamp() - runningAt) / 1000.0,
                            (watcher.writtenAtQuantile(0.9) - watcher.writtenAtQuantile(0.1))
                                    / 1000.0,
                            cpu,
                            options.parallelism(),
                            load,
                            side,
                            ThreadCpu.diff(threadsAtStart, threadsAtDone.get()),
                            decoded,
                            vsTruth);
            watcher.values().clear();
            System.out.printf(
                    "run %d %-4s: %,d events in %.2f s = %,.0f events/s (steady %,.0f); CPU %.1f s;"
                            + " labels vs truth: %s%n",
                    run,
                    job,
                    r.eventsIn(),
                    r.wallSeconds(),
                    r.eventsPerSecond(),
                    r.steadyEventsPerSecond(),
                    r.cpuSeconds(),
                    vsTruth.summary());
            return r;
        }
    }

    private void awaitAll(
            ChildJob c, OutputWatcher watcher, String job, int run, Topics topics, String what)
            throws Exception {
        long deadline = System.currentTimeMillis() + options.timeoutSeconds() * 1000L;
        long nextProgress = System.currentTimeMillis() + 10_000;
        while (!watcher.await(Duration.ofMillis(200))) {
            if (!c.alive()) {
                throw new IllegalStateException(
                        job
                                + " job failed: "
                                + (c.failure() == null ? "its JVM exited" : c.failure())
                                + " (log: "
                                + c.log()
                                + ")");
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        job
                                + " "
                                + what
                                + " job timed out with "
                                + watcher.seen()
                                + " samples committed"
                                + sideSummary(job, topics)
                                + " (log: "
                                + c.log()
                                + ")");
            }
            if (System.currentTimeMillis() > nextProgress) {
                System.out.printf(
                        "run %d %-4s: %s: %,d samples committed%n", run, job, what, watcher.seen());
                nextProgress += 10_000;
            }
        }
    }

    private static List<String> outputTopics(String job, Topics topics) {
        return job.equals("ours")
                ? List.of(topics.samples(), topics.lateEngagements(), topics.deadLetters())
                : List.of(topics.samples());
    }

    private String sideSummary(String job, Topics topics) {
        if (!job.equals("ours")) {
            return "";
        }
        return "; "
                + SideOutputs.read(
                        bootstrapServers, topics.lateEngagements(), topics.deadLetters());
    }

    private List<String> jvmOpts(String job, String tag) {
        return new ArrayList<>(options.childJvmOpts());
    }

    /** Starts a JFR recording in the job JVM (for the measured run only, not the warm-up). */
    private void startProfile(ChildJob c, String job) throws Exception {
        if (options.profile().equals(job) || options.profile().equals("both")) {
            jcmd(c.pid(), "JFR.start", "name=bench", "settings=profile");
        }
    }

    private void stopProfile(ChildJob c, String job, String tag) throws Exception {
        if (options.profile().equals(job) || options.profile().equals("both")) {
            Path jfr = options.workDir().resolve(job + "-" + tag + ".jfr").toAbsolutePath();
            jcmd(c.pid(), "JFR.stop", "name=bench", "filename=" + jfr);
            System.out.printf(
                    "profile: %s (summarize: java -cp ... dev.freshet.bench.JfrHotspots %s)%n",
                    jfr, jfr);
        }
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out =
                new String(
                        p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private List<String> runnerArgs(String job) {
        return List.of(
                "--job",
                job,
                "--bootstrap",
                bootstrapServers,
                "--parallelism",
                Integer.toString(options.parallelism()),
                "--partitions",
                Integer.toString(options.partitions()),
                "--idle-timeout-ms",
                Long.toString(options.idleTimeoutMillis()),
                "--work-dir",
                options.workDir().toAbsolutePath().toString());
    }

    private void createTopics(List<String> names) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(
                            names.stream()
                                    .map(n -> new NewTopic(n, options.partitions(), (short) 1))
                                    .toList())
                    .all()
                    .get();
        }
    }
}
