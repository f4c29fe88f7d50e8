package dev.freshet.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.testing.ChildCli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freshet kafka} as users run it: its own JVM, stopped with SIGTERM. The data must survive a
 * restart on the same directory.
 */
class KafkaCommandIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesClientsStopsCleanlyAndKeepsItsDataAcrossRestarts() throws Exception {
        Path dir = tmp.resolve("kafka");
        int port = freePort();
        int controllerPort = freePort();
        String servers = "localhost:" + port;

        Broker first = start(dir, port, controllerPort);
        assertThat(Files.readString(dir.resolve("server.properties")))
                .contains("process.roles=broker,controller", "log.retention.ms=-1");
        produce(servers, "hello", "world");
        assertThat(consume(servers, 1)).containsExactly("hello=world");
        first.stop();
        assertThat(Files.readString(first.log)).contains("Kafka stopped");

        Broker second = start(dir, port, controllerPort);
        assertThat(Files.readString(second.log)).contains("Reusing Kafka data");
        produce(servers, "again", "2");
        assertThat(consume(servers, 2)).containsExactly("hello=world", "again=2");
        second.stop();
    }

    private Broker start(Path dir, int port, int controllerPort) throws Exception {
        Path log = Files.createTempFile(tmp, "kafka", ".log");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                // C1 only: the broker starts in about half the time, and this test
                                // is short.
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                ChildCli.classpath(),
                                "dev.freshet.cli.FreshetCli",
                                "kafka",
                                "--dir",
                                dir.toString(),
                                "--port",
                                Integer.toString(port),
                                "--controller-port",
                                Integer.toString(controllerPort)));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        started.add(process);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader out =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                for (String line = out.readLine();
                                        line != null;
                                        line = out.readLine()) {
                                    lines.add(line);
                                }
                            } catch (IOException e) {
                                // the process ended
                            }
                        },
                        "kafka-stdout");
        reader.setDaemon(true);
        reader.start();
        String ready = lines.poll(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(ready)
                .as("first stdout line; stderr: %s", Files.readString(log))
                .isEqualTo("Kafka ready on localhost:" + port);
        return new Broker(process, log);
    }

    private record Broker(Process process, Path log) {
        /** SIGTERM, as Ctrl-C or a supervisor would send. */
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60s").isTrue();
        }
    }

    private static void produce(String servers, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("greetings", 0, key, value))
                    .get(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> consume(String servers, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("greetings", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.key() + "=" + r.value());
                }
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
