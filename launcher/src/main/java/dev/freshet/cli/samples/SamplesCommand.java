package dev.freshet.cli.samples;

import dev.freshet.cli.DurationConverter;
import dev.freshet.cli.kafka.KafkaReachability;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code freshet samples}: decodes a topic to JSON lines on stdout. */
@Command(
        name = "samples",
        mixinStandardHelpOptions = true,
        description = {
            "Print the records of a topic as JSON lines on stdout (read_committed, all partitions,"
                    + " no consumer group).",
            "Samples are decoded to their JSON view; dead letters (freshet.dlq) show reason,"
                    + " detail, source topic/partition/offset and the original bytes; late"
                    + " engagements show their reason; other JSON is printed as is. A record that"
                    + " does not decode prints {\"error\", \"partition\", \"offset\"}.",
            "Stops after --max records or when --timeout has passed, whichever comes first."
        })
public final class SamplesCommand implements Callable<Integer> {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = "samples",
            description =
                    "Topic to read, e.g. samples, freshet.dlq, late-engagements"
                            + " (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Total time to read for, e.g. 500ms, 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--from-beginning",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Start at the beginning of the topic (default); --no-from-beginning prints"
                            + " only records that arrive while it runs.")
    boolean fromBeginning;

    @Override
    public Integer call() {
        if (max != null && max < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--max must not be negative, got " + max);
        }
        if (timeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive");
        }
        Duration connect = timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT;
        KafkaReachability.require(bootstrapServers, connect);
        PrintWriter out = spec.commandLine().getOut();
        RecordFormatter formatter = new RecordFormatter();
        long count;
        try (TopicReader reader = new TopicReader(bootstrapServers)) {
            count =
                    reader.read(
                            topic,
                            fromBeginning,
                            max == null ? Long.MAX_VALUE : max,
                            timeout,
                            r -> out.println(formatter.format(r)));
        } finally {
            out.flush();
        }
        spec.commandLine().getErr().println("read " + count + " record(s) from " + topic);
        spec.commandLine().getErr().flush();
        return 0;
    }
}
