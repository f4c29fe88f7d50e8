package dev.freshet.flink.kafka;

import dev.freshet.flink.time.DrainProbe;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up end offsets ({@code read_committed}, as the sources read) with a Kafka admin client,
 * asynchronously: the watermark generator that asks runs on the source's task thread and must never
 * block it.
 *
 * <p>One admin client per cluster per JVM, shared by every source subtask and never closed: a
 * client per subtask would leak one on every job restart in a long-lived task manager.
 */
public final class KafkaDrainProbe implements DrainProbe {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDrainProbe.class);
    private static final Map<String, Admin> ADMINS = new ConcurrentHashMap<>();

    private final String bootstrapServers;
    private transient KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> lookup;
    private transient Map<TopicPartition, Long> askedFor;

    public KafkaDrainProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public Boolean drained(Map<TopicPartition, Long> lastRead) {
        if (lastRead.isEmpty()) {
            return Boolean.FALSE;
        }
        if (lookup == null) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            lastRead.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
            askedFor = lastRead;
            lookup =
                    admin().listOffsets(
                                    request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all();
            return null;
        }
        if (!lookup.isDone()) {
            return null;
        }
        try {
            Map<TopicPartition, ListOffsetsResultInfo> ends = lookup.getNow(Map.of());
            for (Map.Entry<TopicPartition, Long> read : askedFor.entrySet()) {
                ListOffsetsResultInfo end = ends.get(read.getKey());
                // The end is the next offset to be written; one more is a commit marker.
                if (end == null || end.offset() > read.getValue() + 2) {
                    return Boolean.FALSE;
                }
            }
            return Boolean.TRUE;
        } catch (Exception e) {
            LOG.debug("End-offset lookup failed; treating the source as not drained", e);
            return Boolean.FALSE;
        } finally {
            lookup = null;
        }
    }

    private Admin admin() {
        return ADMINS.computeIfAbsent(
                bootstrapServers,
                servers -> {
                    Properties p = new Properties();
                    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
                    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "freshet-drain-probe");
                    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
                    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
                    return Admin.create(p);
                });
    }
}
