package dev.freshet.bench;

import java.util.List;
import java.util.Locale;

/** The markdown the benchmark prints and writes: machine, setup, one row per job run, ratios. */
final class BenchReport {

    private BenchReport() {}

    static String markdown(
            BenchOptions o,
            MachineFacts m,
            EventGenerator.Generated events,
            List<JobMeasurement.Result> results,
            List<String> crossChecks) {
        StringBuilder sb = new StringBuilder();
        sb.append("### Machine\n\n")
                .append(
                        f(
                                "- cores (nproc): %d; CPU: %s; memory: %s%n",
                                m.cores(), m.cpuModel(), m.memTotal()))
                .append(f("- JDK: %s; OS: %s%n", m.jdk(), m.os()))
                .append(
                        f(
                                "- job JVMs: %s; broker + load generator + reader in the parent JVM (%s heap max)%n",
                                String.join(" ", o.childJvmOpts()),
                                Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB"))
                .append("\n### Setup\n\n")
                .append(f("- code under test: %s%n", MachineFacts.codeUnderTest()))
                .append(
                        f(
                                "- events in: %,d impressions + %,d engagements + %d flush = %,d%n",
                                events.impressions().size(),
                                events.engagements().size(),
                                events.flush().size(),
                                events.eventCount()))
                .append(
                        o.warmupImpressions() > 0
                                ? f(
                                        "- each job JVM first runs the job once on a warm-up backlog of %,d impressions"
                                                + " (other ids, own topics) to the last sample, so the measured run has warm JIT%n",
                                        o.warmupImpressions())
                                : "- cold JVMs: no warm-up run\n")
                .append(
                        f(
                                "- positives: click %,d, save %,d, hide %,d, pay %,d%n",
                                events.positives(0),
                                events.positives(1),
                                events.positives(2),
                                events.positives(3)))
                .append(
                        f(
                                "- parallelism %d (task slots), %d partitions per topic, checkpoint every %d ms, hashmap state,"
                                        + " out-of-orderness %d ms, allowed lateness %d ms, our idle timeout %d ms%n",
                                o.parallelism(),
                                o.partitions(),
                                BenchTasks.CHECKPOINT_INTERVAL.toMillis(),
                                BenchTasks.OUT_OF_ORDERNESS.toMillis(),
                                BenchTasks.ALLOWED_LATENESS.toMillis(),
                                o.idleTimeoutMillis()))
                .append("\n### Results\n\n")
                .append(
                        "| run | job | events in | samples | wall s | events/s | events/s per slot | steady events/s"
                                + " | job CPU s | events per CPU-s | events per CPU-s excl. JIT | first sample s | last written s"
                                + " | load before |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JobMeasurement.Result r : results) {
            sb.append(
                    f(
                            "| %d | %s | %,d | %,d | %.2f | %,.0f | %,.0f | %,.0f | %.1f | %,.0f | %,.0f | %.2f | %.2f | %.2f |%n",
                            r.run(),
                            r.job(),
                            r.eventsIn(),
                            r.samples(),
                            r.wallSeconds(),
                            r.eventsPerSecond(),
                            r.eventsPerSecondPerSlot(),
                            r.steadyEventsPerSecond(),
                            r.cpuSeconds(),
                            r.eventsPerCpuSecond(),
                            r.eventsPerCpuSecondWithoutJit(),
                            r.firstSampleSeconds(),
                            r.lastWrittenSeconds(),
                            r.loadBefore()));
        }
        sb.append(
                "\n| run | ours / SQL events/s | ours / SQL steady events/s | ours / SQL events per CPU-s"
                        + " | ours / SQL events per CPU-s excl. JIT |\n|---|---|---|---|---|\n");
        for (int run = 1; run <= o.runs(); run++) {
            JobMeasurement.Result ours = find(results, "ours", run);
            JobMeasurement.Result sql = find(results, "sql", run);
            if (ours != null && sql != null) {
                sb.append(
                        f(
                                "| %d | %.2fx | %.2fx | %.2fx | %.2fx |%n",
                                run,
                                ours.eventsPerSecond() / sql.eventsPerSecond(),
                                ours.steadyEventsPerSecond() / sql.steadyEventsPerSecond(),
                                ours.eventsPerCpuSecond() / sql.eventsPerCpuSecond(),
                                ours.eventsPerCpuSecondWithoutJit()
                                        / sql.eventsPerCpuSecondWithoutJit()));
            }
        }
        sb.append(
                "\n### Where the job JVMs spent CPU (seconds, from running to last sample committed)\n\n");
        for (JobMeasurement.Result r : results) {
            sb.append(f("- run %d %s: %s%n", r.run(), r.job(), ThreadCpu.format(r.threadCpu(), 8)));
        }
        sb.append("\n### Correctness\n\n");
        for (JobMeasurement.Result r : results) {
            sb.append(
                    f(
                            "- run %d %s: vs generator truth: %s; duplicates %d; undecodable/wrong-id rows %d",
                            r.run(),
                            r.job(),
                            r.vsTruth().summary(),
                            r.duplicates(),
                            r.decoded().badRows()));
            if (r.sideOutputs() != null) {
                sb.append("; ").append(r.sideOutputs());
            }
            sb.append('\n');
        }
        for (String c : crossChecks) {
            sb.append("- ").append(c).append('\n');
        }
        return sb.toString();
    }

    private static JobMeasurement.Result find(
            List<JobMeasurement.Result> results, String job, int run) {
        return results.stream()
                .filter(r -> r.job().equals(job) && r.run() == run)
                .findFirst()
                .orElse(null);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
