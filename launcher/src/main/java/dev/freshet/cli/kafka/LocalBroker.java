package dev.freshet.cli.kafka;

import dev.freshet.cli.exception.CommandException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft broker running in this JVM, set up the way {@code kafka-server-start.sh} would run
 * it from {@code server.properties}. Unlike the test kit's broker it keeps its data in a directory
 * of the user's choosing across restarts.
 */
public final class LocalBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final BrokerSettings settings;
    private final KafkaRaftServer server;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private LocalBroker(BrokerSettings settings, KafkaRaftServer server) {
        this.settings = settings;
        this.server = server;
    }

    /** Writes the configuration, formats storage on first use, starts, and waits for the port. */
    public static LocalBroker start(BrokerSettings settings) {
        requireFree(settings.host(), settings.port());
        requireFree(settings.host(), settings.controllerPort());
        Properties props = settings.serverProperties();
        writeProperties(settings, props);
        if (!StorageFormatter.formatIfNeeded(settings)) {
            LOG.info("Reusing Kafka data in {}", settings.logDir());
        }
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            throw new CommandException("Kafka failed to start: " + e.getMessage(), e);
        }
        LocalBroker broker = new LocalBroker(settings, server);
        broker.awaitPort();
        return broker;
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** Blocks until the broker has shut down. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            LOG.info("Stopping Kafka on {}", settings.bootstrapServers());
            server.shutdown();
            server.awaitShutdown();
            LOG.info("Kafka stopped");
        }
    }

    private static void requireFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new CommandException(
                    String.format(
                            "cannot listen on %s:%d (%s): is another broker running? Choose other"
                                    + " ports with --port and --controller-port",
                            host, port, e.getMessage()));
        }
    }

    private static void writeProperties(BrokerSettings settings, Properties props) {
        try {
            Files.createDirectories(settings.dir());
            try (OutputStream out = Files.newOutputStream(settings.propertiesFile())) {
                props.store(
                        out, "Written by `freshet kafka` on every start; edits are overwritten.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + settings.propertiesFile(), e);
        }
    }

    /**
     * startup() returns once the broker is unfenced and its acceptors run; the connect check makes
     * "ready" mean what clients will see.
     */
    private void awaitPort() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(settings.host(), settings.port()), 1000);
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new CommandException(
                "Kafka did not accept connections on "
                        + settings.bootstrapServers()
                        + " within "
                        + READY_TIMEOUT.toSeconds()
                        + "s"
                        + (last == null ? "" : ": " + last.getMessage()));
    }
}
