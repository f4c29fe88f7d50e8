package dev.freshet.cli.kafka;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code freshet kafka}: a real single-node KRaft broker in this process, until stopped. */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
            "Run a single-node Kafka broker (KRaft, combined broker and controller) on a directory"
                    + " until stopped (Ctrl-C or SIGTERM shut it down cleanly).",
            "The directory is formatted on first use and reused afterwards.",
            "Prints 'Kafka ready on HOST:PORT' on stdout once clients can connect."
        })
public final class KafkaCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCommand.class);

    @Spec CommandSpec spec;

    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "Directory for server.properties and the broker's data.")
    Path dir;

    @Option(
            names = "--port",
            defaultValue = "9092",
            description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--controller-port",
            defaultValue = "9093",
            description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(
            names = "--host",
            defaultValue = "localhost",
            description = "Host to bind and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() {
        BrokerSettings settings = settings();
        LocalBroker broker = LocalBroker.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "freshet-kafka-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Kafka ready on " + settings.bootstrapServers());
        out.flush();
        LOG.info("Kafka data in {}; stop with Ctrl-C", settings.dir());
        broker.awaitShutdown();
        return 0;
    }

    private BrokerSettings settings() {
        requirePort("--port", port);
        requirePort("--controller-port", controllerPort);
        if (port == controllerPort) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--port and --controller-port must differ, both are " + port);
        }
        return new BrokerSettings(dir, host, port, controllerPort);
    }

    private void requirePort(String option, int value) {
        if (value < 1 || value > 65535) {
            throw new ParameterException(
                    spec.commandLine(), option + " must be in 1..65535, got " + value);
        }
    }
}
