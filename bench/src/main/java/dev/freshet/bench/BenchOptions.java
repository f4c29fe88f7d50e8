package dev.freshet.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@link JoinBenchmark}.
 *
 * @param impressions impressions to generate (engagements follow at the configured rates)
 * @param warmupImpressions impressions of the warm-up backlog each job JVM processes before the
 *     measured one (0: measure cold JVMs)
 * @param runs how many times each job runs; the job order alternates between runs
 * @param parallelism Flink parallelism (= task slots) of both jobs
 * @param partitions partitions of every topic the benchmark creates
 * @param seed seed of the event generator
 * @param jobs which jobs to run, in the order of the first run: {@code ours}, {@code sql}
 * @param childJvmOpts JVM options of the child JVM each job runs in
 * @param profile whose measured run is recorded with JFR: {@code ours}, {@code sql}, {@code both}
 *     or {@code none}
 * @param idleTimeoutMillis our job's idle timeout ({@code PipelineConfig.idleTimeout})
 * @param timeoutSeconds give up on a job that has not produced every sample by then
 * @param workDir checkpoints, logs and profiles
 * @param resultsFile where the markdown results go
 */
record BenchOptions(
        int impressions,
        int warmupImpressions,
        int runs,
        int parallelism,
        int partitions,
        long seed,
        List<String> jobs,
        List<String> childJvmOpts,
        String profile,
        long idleTimeoutMillis,
        int timeoutSeconds,
        Path workDir,
        Path resultsFile) {

    static final String USAGE =
            "JoinBenchmark [--impressions N] [--warmup-impressions N] [--runs N] [--parallelism N] [--partitions N] [--seed N]\n"
                    + "              [--jobs ours,sql] [--child-jvm-opts '...'] [--profile ours|sql|both|none]\n"
                    + "              [--idle-timeout-ms N] [--timeout-seconds N] [--work-dir DIR] [--results FILE]";

    static final List<String> DEFAULT_CHILD_JVM_OPTS =
            List.of("-Xms1536m", "-Xmx1536m", "-XX:+UseG1GC");

    static BenchOptions fromArgs(String[] args) {
        int impressions = 200_000;
        int warmupImpressions = 50_000;
        int runs = 2;
        int parallelism = 1;
        int partitions = 2;
        long seed = 7;
        List<String> jobs = List.of("ours", "sql");
        List<String> childJvmOpts = DEFAULT_CHILD_JVM_OPTS;
        String profile = "none";
        long idleTimeoutMillis = BenchTasks.IDLE_TIMEOUT.toMillis();
        int timeoutSeconds = 120;
        Path workDir = Path.of("bench", "target", "join-bench");
        Path results = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--impressions" -> impressions = Integer.parseInt(v);
                case "--warmup-impressions" -> warmupImpressions = Integer.parseInt(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--parallelism" -> parallelism = Integer.parseInt(v);
                case "--partitions" -> partitions = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--jobs" -> jobs = List.of(v.split(","));
                case "--child-jvm-opts" -> childJvmOpts = splitOpts(v);
                case "--profile" -> profile = v;
                case "--idle-timeout-ms" -> idleTimeoutMillis = Long.parseLong(v);
                case "--timeout-seconds" -> timeoutSeconds = Integer.parseInt(v);
                case "--work-dir" -> workDir = Path.of(v);
                case "--results" -> results = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        for (String job : jobs) {
            if (!job.equals("ours") && !job.equals("sql")) {
                throw new IllegalArgumentException("--jobs: unknown job '" + job + "'");
            }
        }
        if (impressions <= 0
                || warmupImpressions < 0
                || runs <= 0
                || parallelism <= 0
                || partitions <= 0) {
            throw new IllegalArgumentException("counts must be positive\n" + USAGE);
        }
        return new BenchOptions(
                impressions,
                warmupImpressions,
                runs,
                parallelism,
                partitions,
                seed,
                jobs,
                childJvmOpts,
                profile,
                idleTimeoutMillis,
                timeoutSeconds,
                workDir,
                results == null ? workDir.resolve("results.md") : results);
    }

    private static List<String> splitOpts(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The job order of run {@code run} (1-based): the configured order, reversed every other run.
     */
    List<String> jobOrder(int run) {
        if (run % 2 == 1) {
            return jobs;
        }
        List<String> reversed = new ArrayList<>(jobs);
        java.util.Collections.reverse(reversed);
        return reversed;
    }
}
