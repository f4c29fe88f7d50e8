package dev.freshet.cli.kafka;

import dev.freshet.cli.exception.CommandException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until every partition of some topics can take writes.
 *
 * <p>Right after a topic is created its partitions can refuse the first produce request
 * (NOT_LEADER_OR_FOLLOWER) while accepting the next; an idempotent producer then retries the
 * refused batch as out of sequence until its delivery timeout, and the records are lost. A list
 * offsets request is answered by the partition leader itself, so once it succeeds for every
 * partition, writes will too.
 */
public final class TopicReadiness {

    private TopicReadiness() {}

    public static void awaitWritable(
            String bootstrapServers, Collection<String> topics, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            for (TopicDescription d :
                    admin.describeTopics(topics)
                            .allTopicNames()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .values()) {
                d.partitions()
                        .forEach(
                                p ->
                                        partitions.put(
                                                new TopicPartition(d.name(), p.partition()),
                                                OffsetSpec.latest()));
            }
            // The admin client retries NOT_LEADER_OR_FOLLOWER itself, within its api timeout.
            admin.listOffsets(partitions).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new CommandException(
                    "topics "
                            + topics
                            + " on "
                            + bootstrapServers
                            + " are not ready for writes: "
                            + cause.getMessage(),
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while waiting for topics " + topics, e);
        }
    }
}
