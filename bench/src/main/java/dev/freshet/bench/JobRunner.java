package dev.freshet.bench;

import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.kafka.TopicBootstrap;
import dev.freshet.flink.pipeline.KafkaPipeline;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs jobs of one kind (ours or the SQL reference), one after another, each on its own local
 * MiniCluster in this JVM: the child JVM that {@link JoinBenchmark} starts per measurement. Running
 * a warm-up job first leaves the JIT-compiled code of Flink, Kafka and our code warm for the
 * measured one.
 *
 * <p>Commands on stdin: {@code run <tag> <impressions topic> <engagements topic>}, {@code stop}
 * (cancels the running job), {@code exit}. Replies on stdout: {@code BENCH-READY}, {@code
 * BENCH-RUNNING <epoch ms>}, {@code BENCH-STOPPED}, or {@code BENCH-FAILED <message>} (then exits).
 *
 * <p>Usage: {@code JobRunner --job ours|sql --bootstrap H:P --parallelism N --partitions N
 * --work-dir DIR [--idle-timeout-ms N]}
 */
public final class JobRunner {

    static final String READY = "BENCH-READY";
    static final String RUNNING = "BENCH-RUNNING ";
    static final String STOPPED = "BENCH-STOPPED";
    static final String FAILED = "BENCH-FAILED ";

    private JobRunner() {}

    public static void main(String[] args) throws Exception {
        String job = null;
        String bootstrap = null;
        int parallelism = 1;
        int partitions = 2;
        Path workDir = Path.of(".");
        Duration idleTimeout = BenchTasks.IDLE_TIMEOUT;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--job" -> job = args[i + 1];
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
                case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
                case "--work-dir" -> workDir = Path.of(args[i + 1]);
                case "--idle-timeout-ms" ->
                        idleTimeout = Duration.ofMillis(Long.parseLong(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        reply(READY);
        JobClient client = null;
        AtomicBoolean stopping = new AtomicBoolean();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split("\\s+");
                switch (cmd[0]) {
                    case "run" -> {
                        PipelineConfig config =
                                BenchPipeline.config(
                                        bootstrap,
                                        job,
                                        cmd[1],
                                        cmd[2],
                                        cmd[3],
                                        parallelism,
                                        partitions,
                                        idleTimeout,
                                        workDir);
                        stopping.set(false);
                        client = start(job, config, stopping);
                        reply(RUNNING + System.currentTimeMillis());
                    }
                    case "stop" -> {
                        stopping.set(true);
                        if (client != null) {
                            client.cancel().get(30, TimeUnit.SECONDS);
                            awaitTerminal(client);
                            client = null;
                        }
                        reply(STOPPED);
                    }
                    case "exit" -> {
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown command " + line);
                }
            }
        } catch (Exception e) {
            fail(e);
        }
        System.exit(0);
    }

    private static JobClient start(String job, PipelineConfig config, AtomicBoolean stopping)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        BenchPipeline.flinkConfiguration(config));
        JobClient client =
                switch (job) {
                    case "ours" -> {
                        TopicBootstrap.ensure(config);
                        KafkaPipeline.labelJoin(config).build(env);
                        yield env.executeAsync("bench-ours-" + config.groupId());
                    }
                    case "sql" -> SqlLabelJoin.submit(env, config);
                    default -> throw new IllegalArgumentException("unknown job " + job);
                };
        client.getJobExecutionResult()
                .whenComplete(
                        (result, error) -> {
                            if (!stopping.get()) {
                                fail(
                                        error != null
                                                ? error
                                                : new IllegalStateException(
                                                        "job finished unexpectedly"));
                            }
                        });
        awaitRunning(client);
        return client;
    }

    private static void awaitRunning(JobClient client) throws Exception {
        while (true) {
            JobStatus status = client.getJobStatus().get();
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isTerminalState()) {
                client.getJobExecutionResult().get(); // throws the cause
                throw new IllegalStateException("job ended as " + status + " before running");
            }
            Thread.sleep(20);
        }
    }

    private static void awaitTerminal(JobClient client) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (client.getJobStatus().get().isGloballyTerminalState()) {
                    return;
                }
            } catch (Exception e) {
                return; // the per-job MiniCluster is already gone
            }
            Thread.sleep(50);
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void fail(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        System.err.println(trace);
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        reply(FAILED + root.getClass().getName() + ": " + root.getMessage());
        System.exit(1);
    }
}
