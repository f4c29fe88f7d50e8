package dev.freshet.cli.kafka;

import java.nio.file.Path;
import java.util.Properties;

/**
 * A single-node KRaft broker (combined broker and controller) for local use.
 *
 * @param dir holds {@code server.properties} and the log directory
 * @param host the host both listeners bind to and the broker advertises
 * @param port the client (PLAINTEXT) port
 * @param controllerPort the KRaft controller port
 */
public record BrokerSettings(Path dir, String host, int port, int controllerPort) {

    public BrokerSettings {
        dir = dir.toAbsolutePath().normalize();
    }

    public Path propertiesFile() {
        return dir.resolve("server.properties");
    }

    public Path logDir() {
        return dir.resolve("logs");
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    /** The broker configuration: one node, so every replication factor and min ISR is 1. */
    public Properties serverProperties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        // A dynamic quorum of one, as `kafka-storage format --standalone` sets it up.
        p.setProperty("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty(
                "listeners",
                "PLAINTEXT://"
                        + host
                        + ":"
                        + port
                        + ",CONTROLLER://"
                        + host
                        + ":"
                        + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", logDir().toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("offsets.topic.replication.factor", "1");
        // Fewer internal partitions than the defaults (50): a laptop broker starts and serves its
        // first consumer group and transaction noticeably faster.
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Replays carry old event times and Flink's sink stamps records with event time: time
        // based retention would delete them on arrival.
        p.setProperty("log.retention.ms", "-1");
        return p;
    }
}
