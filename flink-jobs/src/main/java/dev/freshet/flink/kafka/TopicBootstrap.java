package dev.freshet.flink.kafka;

import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the pipeline's topics when they do not exist yet; existing topics are left alone. */
public final class TopicBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrap.class);

    private TopicBootstrap() {}

    public static void ensure(PipelineConfig config) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : config.topics().all()) {
                if (!existing.contains(topic)) {
                    // Replication 1 is right for the local single broker; production topics are
                    // created by the platform with its own replication.
                    missing.add(new NewTopic(topic, config.topicPartitions(), (short) -1));
                }
            }
            if (config.features() != null && !existing.contains(Topics.FEATURE_SPECS)) {
                // Compacted: the newest record per key survives, so "latest" is always readable.
                missing.add(
                        new NewTopic(Topics.FEATURE_SPECS, 1, (short) -1)
                                .configs(Map.of("cleanup.policy", "compact")));
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot create topics on "
                            + config.bootstrapServers()
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
