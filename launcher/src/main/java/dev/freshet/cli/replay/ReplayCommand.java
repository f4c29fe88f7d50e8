package dev.freshet.cli.replay;

import dev.freshet.cli.DurationConverter;
import dev.freshet.cli.kafka.InputTopics;
import dev.freshet.features.config.Durations;
import dev.freshet.flink.config.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code freshet replay}: writes a JSONL file or the Open Bandit sample into the input topics. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Write events into the impressions and engagements topics, in file order, through one"
                    + " idempotent producer (acks=all).",
            "JSONL: each line {\"topic\": \"impressions\"|\"engagements\","
                    + " \"value\": {...}} becomes a record with that value, keyed by"
                    + " value.impression_id; any other line (not JSON, unknown topic, ...)"
                    + " goes to impressions byte for byte, which is how malformed input is"
                    + " exercised. Blank lines are skipped.",
            "Open Bandit: every <policy>/<campaign>/<campaign>.csv row becomes an impression and"
                    + " every click an engagement at a seeded random delay after it, all in"
                    + " event-time order.",
            "Counts go to stderr."
        })
public final class ReplayCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayCommand.class);

    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--jsonl", paramLabel = "FILE", description = "A JSONL file of events.")
        Path jsonl;

        @Option(
                names = "--open-bandit",
                paramLabel = "DIR",
                description = "An Open Bandit Dataset directory (e.g. shared/data/open-bandit).")
        Path openBandit;
    }

    @Option(
            names = "--seed",
            defaultValue = "42",
            paramLabel = "N",
            description = "Open Bandit: seed of the click delays (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--click-delay-max",
            defaultValue = "60s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Open Bandit: clicks come 1s to this long after their impression"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration clickDelayMax;

    @Option(
            names = "--time-base",
            defaultValue = "now",
            paramLabel = "now|original",
            description =
                    "Open Bandit: 'now' shifts event times so the newest impression is"
                            + " two click delays before now, keeping their spacing; 'original'"
                            + " keeps the 2019 times (default: ${DEFAULT-VALUE}).")
    TimeBase timeBase;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Write at most N records (the first N in order).")
    Long limit;

    @Override
    public Integer call() throws IOException {
        if (limit != null && limit < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--limit must not be negative, got " + limit);
        }
        long max = limit == null ? Long.MAX_VALUE : limit;
        Topics topics = Topics.DEFAULTS;
        Map<String, Long> written;
        if (source.jsonl != null) {
            written = replayJsonl(requireFile(source.jsonl, "--jsonl"), topics, max);
        } else {
            written =
                    replayOpenBandit(
                            requireDirectory(source.openBandit, "--open-bandit"), topics, max);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(
                "wrote "
                        + written.values().stream().mapToLong(Long::longValue).sum()
                        + " records to "
                        + bootstrapServers
                        + ": "
                        + summary(written, topics));
        err.flush();
        return 0;
    }

    private Map<String, Long> replayJsonl(Path file, Topics topics, long max) throws IOException {
        JsonlRouter router = new JsonlRouter(topics);
        InputTopics.prepare(bootstrapServers, topics);
        long raw = 0;
        long sent = 0;
        try (LineReader lines = new LineReader(file);
                ReplaySink sink = new ReplaySink(bootstrapServers)) {
            for (byte[] line = lines.next(); line != null && sent < max; line = lines.next()) {
                if (isBlank(line)) {
                    continue;
                }
                ReplayRecord r = router.route(line);
                if (r.raw()) {
                    raw++;
                    LOG.debug(
                            "{}:{} is not a topic/value event; written as-is to {}",
                            file,
                            lines.number(),
                            r.topic());
                }
                sink.send(r);
                sent++;
            }
            Map<String, Long> written = sink.flush();
            if (raw > 0) {
                String note =
                        "%d line(s) were not {\"topic\", \"value\"} events; written as-is to %s";
                spec.commandLine().getErr().println(String.format(note, raw, topics.impressions()));
            }
            return written;
        }
    }

    private Map<String, Long> replayOpenBandit(Path dir, Topics topics, long max)
            throws IOException {
        if (clickDelayMax.toMillis() < 1000) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--click-delay-max must be at least 1s, got "
                            + Durations.format(clickDelayMax));
        }
        List<OpenBanditFiles.Log> logs = OpenBanditFiles.find(dir);
        if (logs.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--open-bandit: no logs under "
                            + dir
                            + " (expected"
                            + " <policy>/<campaign>/<campaign>.csv, e.g. random/men/men.csv)");
        }
        List<ReplayEvent> events =
                new OpenBanditReader(topics, seed, clickDelayMax, timeBase, Clock.systemUTC())
                        .read(logs);
        long impressions =
                events.stream().filter(e -> e.topic().equals(topics.impressions())).count();
        PrintWriter err = spec.commandLine().getErr();
        err.println(
                "Open Bandit: "
                        + impressions
                        + " impressions, "
                        + (events.size() - impressions)
                        + " clicks from "
                        + logs.size()
                        + " logs in "
                        + dir
                        + " (time base "
                        + timeBase.name().toLowerCase(Locale.ROOT)
                        + ")");
        err.flush();
        InputTopics.prepare(bootstrapServers, topics);
        try (ReplaySink sink = new ReplaySink(bootstrapServers)) {
            long sent = 0;
            for (ReplayEvent e : events) {
                if (sent++ >= max) {
                    break;
                }
                sink.send(e.toRecord());
            }
            return sink.flush();
        }
    }

    private Path requireFile(Path file, String option) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), option + ": no readable file " + file);
        }
        return file;
    }

    private Path requireDirectory(Path dir, String option) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), option + ": no directory " + dir);
        }
        return dir;
    }

    private static String summary(Map<String, Long> written, Topics topics) {
        return topics.impressions()
                + "="
                + written.getOrDefault(topics.impressions(), 0L)
                + " "
                + topics.engagements()
                + "="
                + written.getOrDefault(topics.engagements(), 0L);
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
