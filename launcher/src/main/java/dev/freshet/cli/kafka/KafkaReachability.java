package dev.freshet.cli.kafka;

import dev.freshet.cli.exception.CommandException;
import dev.freshet.features.config.Durations;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Fails fast, with a clear message, when no broker answers at the given address. Kafka clients
 * otherwise retry quietly for a minute before reporting a timeout that does not say why.
 */
public final class KafkaReachability {

    private KafkaReachability() {}

    public static void require(String bootstrapServers, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Admin admin;
        try {
            admin = Admin.create(props);
        } catch (RuntimeException e) {
            // e.g. an unresolvable host or a malformed address
            throw new CommandException(
                    "cannot connect to Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
        }
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unreachable(bootstrapServers, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // The admin client's own deadline, which races ours.
                throw unreachable(bootstrapServers, timeout);
            }
            throw new CommandException(
                    "cannot connect to Kafka at "
                            + bootstrapServers
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while connecting to " + bootstrapServers, e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static CommandException unreachable(String bootstrapServers, Duration timeout) {
        return new CommandException(
                "no Kafka broker answered at "
                        + bootstrapServers
                        + " within "
                        + Durations.format(timeout)
                        + " (start one with `freshet kafka --dir DIR`)");
    }
}
