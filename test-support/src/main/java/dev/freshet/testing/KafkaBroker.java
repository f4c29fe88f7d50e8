package dev.freshet.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) running in this JVM, with
 * the settings exactly-once sinks need on one node.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaBroker start() throws Exception {
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("num.partitions", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        // Long retention: tests write old synthetic event times.
                        .setConfigProp("log.retention.ms", "-1")
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaBroker(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopics(int partitions, String... topics) {
        try (Admin admin = admin()) {
            List<NewTopic> list = new ArrayList<>();
            for (String t : topics) {
                list.add(new NewTopic(t, partitions, (short) 1));
            }
            admin.createTopics(list).all().get();
            awaitLeaders(admin, List.of(topics));
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot create topics", e);
        }
    }

    /**
     * Waits until every partition has a leader. Writing before that gets NOT_LEADER_OR_FOLLOWER,
     * and the retried first batch of an idempotent producer can then be rejected as out of sequence
     * forever, silently losing test input.
     */
    private static void awaitLeaders(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            boolean ready;
            try {
                ready =
                        admin.describeTopics(topics).allTopicNames().get().values().stream()
                                .flatMap(d -> d.partitions().stream())
                                .allMatch(p -> p.leader() != null && p.leader().id() >= 0);
            } catch (ExecutionException e) {
                // Right after creation the broker may not know the topic yet: ask again.
                if (!(e.getCause()
                        instanceof
                        org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leaders for " + topics + " after 30 s");
            }
            Thread.sleep(50);
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return Admin.create(p);
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // One batch in flight per partition: right after topic creation the first batch can be
        // refused (NOT_LEADER_OR_FOLLOWER) while later ones are accepted, and the idempotent
        // producer then retries the first as out of sequence forever.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends and waits for the acknowledgement of every record; fails if any was not written. */
    public void send(String topic, Collection<byte[][]> keyValues) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (byte[][] kv : keyValues) {
                acks.add(producer.send(new ProducerRecord<>(topic, kv[0], kv[1])));
            }
            awaitAll(producer, acks);
        }
    }

    /** Flushes and checks that every send succeeded. */
    public static void awaitAll(KafkaProducer<?, ?> producer, List<Future<RecordMetadata>> acks) {
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing test input", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("test input was not written", e);
        }
    }

    /**
     * Reads {@code topic} from the beginning with {@code read_committed} until {@code expected}
     * records have arrived or {@code timeout} passes, then keeps reading for {@code settle} to
     * catch anything beyond the expected count (duplicates).
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String topic, int expected, Duration timeout, Duration settle) {
        Properties p = TopicSnapshot.readCommitted(bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicSnapshot.assignFromStart(consumer, topic);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            long settleUntil = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleUntil) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
