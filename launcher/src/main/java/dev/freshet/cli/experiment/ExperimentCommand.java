package dev.freshet.cli.experiment;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.cli.DurationConverter;
import dev.freshet.cli.exception.CommandException;
import dev.freshet.cli.kafka.KafkaReachability;
import dev.freshet.cli.samples.TopicReader;
import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.experiment.ConfigResult;
import dev.freshet.trainer.experiment.ExperimentConfig;
import dev.freshet.trainer.experiment.ExperimentData;
import dev.freshet.trainer.experiment.ExperimentException;
import dev.freshet.trainer.experiment.ExperimentRunner;
import dev.freshet.trainer.experiment.ExperimentSettings;
import dev.freshet.trainer.experiment.ExperimentTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code freshet experiment}: the paper's learning experiments on the user's own samples. */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = {
            "Train every model config on exactly the same samples, replayed in the same order,"
                    + " each with N seeds and in a process of its own, then judge each on the"
                    + " held-out end of the replay. Prints and writes (Markdown, CSV, PNG) a table:"
                    + " HIT@3/save gain % vs the baseline, AUC and log loss per task, peak training"
                    + " memory as % of the device, inference latency change %, parameter counts"
                    + " and reproducibility (std of HIT@3/save across seeds).",
            "Samples come from a JSON-lines file (freshet samples output of the"
                    + " freshet.feature-specs and samples topics, concatenated) or straight from"
                    + " Kafka. Configs are model config files, e.g. presets/models/*.yaml, each"
                    + " laid over --base-config."
        })
public final class ExperimentCommand implements Callable<Integer> {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(
                names = "--data",
                paramLabel = "FILE",
                description =
                        "JSON lines: samples (the samples topic's JSON view) and feature specs.")
        Path data;

        @Option(
                names = "--bootstrap-servers",
                paramLabel = "HOST:PORT",
                description = "Read the samples and spec topics from Kafka, to their current end.")
        String bootstrapServers;
    }

    @Option(
            names = "--samples-topic",
            defaultValue = "samples",
            description = "Samples topic with --bootstrap-servers (default: ${DEFAULT-VALUE}).")
    String samplesTopic;

    @Option(
            names = "--spec-topic",
            defaultValue = "freshet.feature-specs",
            description =
                    "Feature spec topic with --bootstrap-servers (default: ${DEFAULT-VALUE}).")
    String specTopic;

    @Option(
            names = "--read-timeout",
            defaultValue = "5m",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "How long reading the topics may take (default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    @Option(
            names = "--configs",
            arity = "1..*",
            required = true,
            paramLabel = "FILE",
            description = "Model config files, one table row each.")
    List<Path> configs;

    @Option(
            names = "--baseline",
            paramLabel = "FILE",
            description =
                    "The config gains and latency changes are measured against; added first if not"
                            + " among --configs (default: the first config).")
    Path baseline;

    @Option(
            names = "--base-config",
            paramLabel = "FILE",
            description =
                    "Model config every config is laid over (tasks, hit, optimizer...); top-level"
                            + " keys of a config replace the base's. Without tasks anywhere, every"
                            + " label in the samples is a task of weight 1.")
    Path baseConfig;

    @Option(
            names = "--seeds",
            defaultValue = "5",
            description = "Seeds per config (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--first-seed",
            defaultValue = "1",
            description = "Seeds are first-seed, first-seed + 1, ... (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(
            names = "--batch-size",
            defaultValue = "512",
            description =
                    "Samples per step, or the largest batch tried with --memory-budget (default:"
                            + " ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--memory-budget",
            paramLabel = "FRACTION",
            description =
                    "Pick each config's batch size: the largest power of two up to --batch-size"
                            + " whose measured peak memory stays under this fraction of the device,"
                            + " e.g. 0.6.")
    Double memoryBudget;

    @Option(
            names = "--holdout",
            defaultValue = "0.2",
            description = "Fraction held out at the end of the replay (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(
            names = "--epochs",
            defaultValue = "1",
            description = "Passes over the training part (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "PyTorch threads per worker (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--gpu", description = "Train on the first GPU.")
    boolean gpu;

    @Option(
            names = "--worker-jvm-option",
            paramLabel = "OPTION",
            description =
                    "Extra JVM option for each worker process (repeatable). Workers get the same"
                            + " heap, max(1 GiB, 16 x the encoded samples + 512 MiB), unless an -Xmx"
                            + " is given here.")
    List<String> workerJvmOptions = new ArrayList<>();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where to write the results (default: experiments/<date-time>).")
    Path out;

    @Override
    public Integer call() throws IOException {
        ExperimentSettings settings;
        try {
            settings =
                    new ExperimentSettings(
                            batchSize, holdout, epochs, 3, 50, memoryBudget, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be at least 1");
        }
        PrintWriter err = spec.commandLine().getErr();
        ExperimentData data = data(err);
        // Compared as absolute paths, so ./a.yaml and a.yaml are one config, not two.
        List<Path> files =
                new ArrayList<>(configs.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        Path baselineFile = baseline == null ? null : baseline.toAbsolutePath().normalize();
        if (baselineFile != null && !files.contains(baselineFile)) {
            files.add(0, baselineFile);
        }
        List<ExperimentConfig> models =
                ExperimentConfigs.load(files, baseConfig, data.labelNames());
        String baselineName =
                models.get(baselineFile == null ? 0 : files.indexOf(baselineFile)).name();
        for (ExperimentConfig m : models) {
            try {
                data.requireLabels(m.model().taskNames());
            } catch (IllegalArgumentException e) {
                throw new CommandException(m.name() + ": " + e.getMessage());
            }
        }
        Path dir =
                out != null
                        ? out
                        : Path.of(
                                "experiments",
                                LocalDateTime.now()
                                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Long> seedList = LongStream.range(firstSeed, firstSeed + seeds).boxed().toList();
        String hitWarning;
        try {
            hitWarning = hitWarning(data, settings, models.get(0));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage(), e);
        }
        if (hitWarning != null) {
            err.println("note: " + hitWarning);
        }
        err.printf(
                "experiment: %d configs x %d seeds on %d samples (spec %s), baseline %s; results"
                        + " in %s%n",
                models.size(),
                seeds,
                data.samples().size(),
                data.spec().version(),
                baselineName,
                dir);
        err.flush();
        List<ConfigResult> results;
        try {
            results =
                    new ExperimentRunner(dir.resolve("runs"), workerJvmOptions)
                            .run(data, models, seedList, settings, gpu, new ProgressPrinter(err));
        } catch (ExperimentException e) {
            throw new CommandException(e.getMessage(), e);
        }
        ExperimentTable table = ExperimentTable.of(results, baselineName);
        write(dir, table, results, data, settings, seedList, hitWarning);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(table.markdown());
        stdout.flush();
        err.printf(
                "wrote %s, %s and %s%n",
                dir.resolve("results.md"), dir.resolve("results.csv"), dir.resolve("hit-gain.png"));
        err.flush();
        return 0;
    }

    /**
     * HIT@k ranks items within a request; when no held-out request has more than k items every
     * positive is in its request's top k whatever the model does, so the column cannot tell configs
     * apart (the Open Bandit log is like that: one logged item per request).
     */
    private static String hitWarning(
            ExperimentData data, ExperimentSettings settings, ExperimentConfig first) {
        int k = first.model().hit() == null ? settings.hitK() : first.model().hit().k();
        int largest = data.largestRequest(settings.trainCount(data.samples().size()));
        if (largest > k) {
            return null;
        }
        return "no held-out request has more than "
                + largest
                + " item(s), so HIT@"
                + k
                + " counts every positive whatever the model: compare AUC and log loss instead";
    }

    private ExperimentData data(PrintWriter err) {
        SampleCapture capture = new SampleCapture();
        if (source.data != null) {
            if (!Files.isRegularFile(source.data)) {
                throw new ParameterException(
                        spec.commandLine(), "--data " + source.data + " is not a file");
            }
            capture.readLines(source.data);
        } else {
            readTopics(capture);
        }
        if (capture.problemCount() > 0) {
            err.printf(
                    "set aside %d line(s)/record(s) that are neither a sample nor a spec:%n",
                    capture.problemCount());
            capture.problems().forEach(p -> err.println("  " + p));
        }
        ExperimentData.Chosen chosen;
        try {
            chosen = ExperimentData.choose(capture.specs(), capture.samples());
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage(), e);
        }
        if (!chosen.skipped().isEmpty()) {
            err.printf(
                    "using the %d samples of spec %s; left out samples of other versions: %s%n",
                    chosen.data().samples().size(),
                    chosen.data().spec().version(),
                    chosen.skipped());
        }
        err.flush();
        return chosen.data();
    }

    private void readTopics(SampleCapture capture) {
        KafkaReachability.require(source.bootstrapServers, CONNECT_TIMEOUT);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (TopicReader reader = new TopicReader(source.bootstrapServers)) {
            reader.readToEnd(
                    specTopic, readTimeout, r -> capture.addSpecRecord(r.value(), where(r)));
            reader.readToEnd(samplesTopic, readTimeout, records::add);
        }
        // One order whatever the partition count or poll interleaving: by record time, then
        // partition and offset.
        records.sort(
                Comparator.comparingLong((ConsumerRecord<byte[], byte[]> r) -> r.timestamp())
                        .thenComparingInt(r -> r.partition())
                        .thenComparingLong(r -> r.offset()));
        records.forEach(r -> capture.addSampleRecord(r.value(), where(r)));
    }

    private static String where(ConsumerRecord<byte[], byte[]> r) {
        return r.topic() + "/" + r.partition() + "@" + r.offset();
    }

    private void write(
            Path dir,
            ExperimentTable table,
            List<ConfigResult> results,
            ExperimentData data,
            ExperimentSettings settings,
            List<Long> seedList,
            String hitWarning)
            throws IOException {
        Files.createDirectories(dir);
        long first = data.samples().stream().mapToLong(Sample::eventTime).min().orElse(0);
        long last = data.samples().stream().mapToLong(Sample::eventTime).max().orElse(0);
        ConfigResult any = results.get(0);
        String md =
                "# Learning experiment\n\n"
                        + String.format(
                                "%d samples (spec %s, event time %s .. %s): the first %d trained"
                                        + " on in order (%d epoch(s), batch %s), the last %d held"
                                        + " out. Seeds %s. Device %s, %d MiB. Baseline **%s**.%n%n",
                                data.samples().size(),
                                data.spec().version(),
                                Instant.ofEpochMilli(first),
                                Instant.ofEpochMilli(last),
                                any.trainSamples(),
                                settings.epochs(),
                                settings.memoryBudget() == null
                                        ? Integer.toString(settings.batchSize())
                                        : "picked under "
                                                + settings.memoryBudget()
                                                + " of the device",
                                any.holdoutSamples(),
                                seedList,
                                any.device(),
                                any.deviceMemoryBytes() >> 20,
                                table.baseline())
                        + (hitWarning == null ? "" : "Note: " + hitWarning + "\n\n")
                        + table.markdown()
                        + "\n!["
                        + table.hitLabel()
                        + " gain](hit-gain.png)\n";
        Files.writeString(dir.resolve("results.md"), md);
        Files.writeString(dir.resolve("results.csv"), table.csv());
        JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build()
                .writeValue(dir.resolve("results.json").toFile(), results);
        ExperimentChart.png(table, dir.resolve("hit-gain.png"));
    }
}
