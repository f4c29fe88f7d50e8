package dev.freshet.bench;

import dev.freshet.testing.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Label-join throughput through a real Kafka broker with exactly-once output: our DataStream job
 * ({@code KafkaPipeline.labelJoin}) against the same join written in Flink SQL, on the same events
 * in the same run.
 *
 * <p>A KRaft broker starts in this JVM; a seeded backlog of impressions and engagements is written
 * to {@code impressions} and {@code engagements}; then each job runs in a fresh child JVM on a
 * local MiniCluster, reads the whole backlog from the beginning, and is timed from "running" until
 * a read_committed consumer has seen one sample per impression. Both outputs are checked against
 * the labels the generator knows to be right. Not a test: it asserts nothing about speed.
 *
 * <p>Run with {@code bench/run-join-bench.sh [options]}; options in {@link BenchOptions#USAGE}.
 */
public final class JoinBenchmark {

    private JoinBenchmark() {}

    @SuppressWarnings("try") // KafkaBroker.close() may throw InterruptedException
    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.fromArgs(args);
        } catch (IllegalArgumentException e) {
            boolean help = e.getMessage().equals(BenchOptions.USAGE);
            (help ? System.out : System.err).println(e.getMessage());
            System.exit(help ? 0 : 2);
            return;
        }
        deleteRecursively(options.workDir());
        Files.createDirectories(options.workDir());
        MachineFacts machine = MachineFacts.collect();

        List<JobMeasurement.Result> results = new ArrayList<>();
        List<String> crossChecks = new ArrayList<>();
        EventGenerator.Generated events;
        long produceMillis;
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopics(
                    options.partitions(),
                    BenchPipeline.IMPRESSIONS,
                    BenchPipeline.ENGAGEMENTS,
                    BenchPipeline.WARMUP_IMPRESSIONS,
                    BenchPipeline.WARMUP_ENGAGEMENTS);
            long t = System.currentTimeMillis();
            events =
                    new EventGenerator(options.seed())
                            .generate(
                                    options.impressions(),
                                    options.partitions(),
                                    System.currentTimeMillis());
            InputLoader.produce(
                    broker.bootstrapServers(),
                    events,
                    BenchPipeline.IMPRESSIONS,
                    BenchPipeline.ENGAGEMENTS);
            EventGenerator.Generated warmup = null;
            if (options.warmupImpressions() > 0) {
                warmup =
                        new EventGenerator(options.seed() + 1)
                                .generate(
                                        options.warmupImpressions(),
                                        options.partitions(),
                                        System.currentTimeMillis());
                InputLoader.produce(
                        broker.bootstrapServers(),
                        warmup,
                        BenchPipeline.WARMUP_IMPRESSIONS,
                        BenchPipeline.WARMUP_ENGAGEMENTS);
            }
            produceMillis = System.currentTimeMillis() - t;
            System.out.printf(
                    "generated and produced %,d impressions + %,d engagements + %d flush events in %.1f s%n",
                    events.impressions().size(),
                    events.engagements().size(),
                    events.flush().size(),
                    produceMillis / 1000.0);

            JobMeasurement measurement =
                    new JobMeasurement(options, broker.bootstrapServers(), events, warmup);
            for (int run = 1; run <= options.runs(); run++) {
                Map<String, Map<String, Integer>> labelsByJob = new HashMap<>();
                for (String job : options.jobOrder(run)) {
                    JobMeasurement.Result r = measurement.run(job, run);
                    results.add(r);
                    labelsByJob.put(job, r.decoded().labels());
                }
                if (labelsByJob.size() == 2) {
                    LabelCheck.Result agree =
                            LabelCheck.compare(labelsByJob.get("ours"), labelsByJob.get("sql"));
                    crossChecks.add("run " + run + ": ours vs SQL: " + agree.summary());
                    System.out.println(crossChecks.get(crossChecks.size() - 1));
                }
                // Free the decoded labels before the next run.
                results.replaceAll(JoinBenchmark::withoutLabels);
            }
        }
        String report = BenchReport.markdown(options, machine, events, results, crossChecks);
        Files.createDirectories(options.resultsFile().toAbsolutePath().getParent());
        Files.writeString(options.resultsFile(), report);
        JoinFigures.of(options, results)
                .writeTo(options.resultsFile().toAbsolutePath().getParent());
        System.out.println();
        System.out.println(report);
        System.out.println("(written to " + options.resultsFile() + ")");
        System.exit(0);
    }

    private static JobMeasurement.Result withoutLabels(JobMeasurement.Result r) {
        return new JobMeasurement.Result(
                r.job(),
                r.run(),
                r.eventsIn(),
                r.samples(),
                r.duplicates(),
                r.wallSeconds(),
                r.firstSampleSeconds(),
                r.lastWrittenSeconds(),
                r.steadySeconds(),
                r.cpuSeconds(),
                r.parallelism(),
                r.loadBefore(),
                r.sideOutputs(),
                r.threadCpu(),
                new LabelCheck.Decoded(Map.of(), r.decoded().badRows()),
                r.vsTruth());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
