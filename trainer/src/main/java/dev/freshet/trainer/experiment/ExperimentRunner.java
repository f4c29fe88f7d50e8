package dev.freshet.trainer.experiment;

import dev.freshet.trainer.config.ModelConfigJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a learning experiment: every config, one after another, each in a fresh JVM ({@link
 * ExperimentWorker}) on the same data file, so every config sees exactly the same samples in the
 * same order and its peak memory is measured alone. Seeds of one config run in its process, one
 * after another.
 */
public final class ExperimentRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private static final int LOG_TAIL_LINES = 15;

    /** Told as the experiment goes. */
    public interface Listener {
        void started(int config, int configs, String name);

        void progress(int config, int seedIndex, int seeds, long step, long steps);

        void finished(int config, ConfigResult result);
    }

    private final Path workDir;
    private final List<String> jvmOptions;

    /**
     * @param workDir where the data file, each worker's request, result and log go
     * @param jvmOptions extra JVM options for each worker, e.g. {@code -Xmx4g}
     */
    public ExperimentRunner(Path workDir, List<String> jvmOptions) {
        this.workDir = workDir;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Trains every config with every seed; results in config order. */
    public List<ConfigResult> run(
            ExperimentData data,
            List<ExperimentConfig> configs,
            List<Long> seeds,
            ExperimentSettings settings,
            boolean gpu,
            Listener listener) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir, e);
        }
        Path dataFile = workDir.resolve("samples.bin");
        data.write(dataFile);
        LOG.info(
                "Experiment: {} configs x {} seeds on {} samples (spec {})",
                configs.size(),
                seeds.size(),
                data.samples().size(),
                data.spec().version());
        List<ConfigResult> results = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            ExperimentConfig config = configs.get(i);
            listener.started(i, configs.size(), config.name());
            ConfigResult result = runWorker(i, config, dataFile, seeds, settings, gpu, listener);
            results.add(result);
            listener.finished(i, result);
        }
        return results;
    }

    private ConfigResult runWorker(
            int index,
            ExperimentConfig config,
            Path dataFile,
            List<Long> seeds,
            ExperimentSettings settings,
            boolean gpu,
            Listener listener) {
        String stem = String.format("%02d-%s", index + 1, config.name());
        Path requestFile = workDir.resolve(stem + ".request.json");
        Path resultFile = workDir.resolve(stem + ".result.json");
        Path logFile = workDir.resolve(stem + ".log");
        try {
            Files.deleteIfExists(resultFile);
            ExperimentWorker.JSON.writeValue(
                    requestFile.toFile(),
                    new WorkerRequest(
                            config.name(),
                            ModelConfigJson.toTree(config.model()),
                            seeds,
                            settings,
                            gpu,
                            dataFile.toAbsolutePath().toString(),
                            resultFile.toAbsolutePath().toString()));
            Process process = start(requestFile, logFile, dataFile);
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f.length == 5 && f[0].equals(ExperimentWorker.PROGRESS)) {
                        listener.progress(
                                index,
                                Integer.parseInt(f[1]),
                                Integer.parseInt(f[2]),
                                Long.parseLong(f[3]),
                                Long.parseLong(f[4]));
                    }
                }
            }
            int exit = process.waitFor();
            if (exit != 0 || !Files.exists(resultFile)) {
                throw new ExperimentException(
                        config.name()
                                + ": the worker failed (exit "
                                + exit
                                + "); the end of "
                                + logFile
                                + ":\n"
                                + tail(logFile));
            }
            return ExperimentWorker.JSON.readValue(resultFile.toFile(), ConfigResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException(config.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExperimentException(config.name() + ": interrupted", e);
        }
    }

    private Process start(Path requestFile, Path logFile, Path dataFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            command.add("-Xmx" + (heapBytes(Files.size(dataFile)) >> 20) + "m");
        }
        // The worker logs where this process does (bin/freshet: Freshet at INFO, on stderr, which
        // is the worker's log file).
        String logConfig = System.getProperty("log4j2.configurationFile");
        if (logConfig != null) {
            command.add("-Dlog4j2.configurationFile=" + logConfig);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        // The launcher's classpath, or surefire's manifest-only jar, which names the same.
        command.add(System.getProperty("java.class.path"));
        command.add(ExperimentWorker.class.getName());
        command.add(requestFile.toAbsolutePath().toString());
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(false)
                        .redirectError(logFile.toFile());
        // The trainer's determinism, as bin/freshet sets it, unless the caller chose otherwise.
        Map<String, String> env = builder.environment();
        env.putIfAbsent("MKL_CBWR", "AUTO,STRICT");
        env.putIfAbsent("DJL_OFFLINE", "true");
        return builder.start();
    }

    /**
     * The workers' heap unless the caller sets one: the same for every config, and sized from the
     * data (decoded samples take about ten times their encoded size) with room for the model.
     * Without a cap the collector grows the heap with the allocation rate rather than with what is
     * live, and a config that allocates faster would look as if it needed gigabytes more.
     */
    static long heapBytes(long dataFileBytes) {
        return Math.max(1L << 30, 16 * dataFileBytes + (512L << 20));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join(
                    "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
