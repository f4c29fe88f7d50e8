package dev.freshet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real-time loop against a real broker: what it counts is what the topics hold. */
@ExtendWith(KafkaBrokerExtension.class)
class TrafficSimulatorIT {

    @Test
    void theTopicsHoldWhatTheSimulatorCounted(KafkaBroker kafka) throws Exception {
        kafka.createTopics(1, "impressions", "engagements");
        // Short delays so that most engagements are due within the run; more faults to count.
        SimulatorConfig config =
                SimulatorConfig.defaults()
                        .withRate(500)
                        .withDelayScale(0.05)
                        .withShares(0.02, 0.02, 0.05);

        TrafficSimulator simulator =
                TrafficSimulator.start(config, new KafkaEventSink(kafka.bootstrapServers()));
        // About 3 s, and long enough for the rarer faults to have come due.
        awaitStats(
                simulator,
                s -> s.impressions() >= 1_500 && s.duplicates() > 0 && s.earlyEngagements() > 0);
        long before = System.nanoTime();
        simulator.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - before);
        simulator.close();
        SimulatorStats stats = simulator.stats();

        assertThat(closing).isLessThan(Duration.ofSeconds(10));
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .doesNotContain(TrafficSimulator.THREAD_NAME);
        assertThat(simulator.failure()).isNull();
        assertThat(stats.requests()).isGreaterThan(0);
        assertThat(stats.engagements()).isGreaterThan(0);
        assertThat(stats.malformed()).isGreaterThan(0);
        assertThat(stats.duplicates()).isGreaterThan(0);

        List<ConsumerRecord<byte[], byte[]>> impressions =
                kafka.readCommitted(
                        "impressions",
                        (int) stats.impressions(),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2));
        List<ConsumerRecord<byte[], byte[]>> engagements =
                kafka.readCommitted(
                        "engagements",
                        (int) stats.engagements(),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2));
        EventParser parser = new EventParser(EventLimits.DEFAULTS);
        Set<String> impressionIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : impressions) {
            if (parser.parseImpression(r.value()) instanceof ParseResult.Ok<Impression> ok) {
                impressionIds.add(ok.value().impressionId());
            }
        }
        Set<String> engagementIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : engagements) {
            if (parser.parseEngagement(r.value()) instanceof ParseResult.Ok<Engagement> ok
                    && Engagements.TYPES.contains(ok.value().type())) {
                engagementIds.add(ok.value().engagementId());
            }
        }

        assertThat(impressions.size() + engagements.size()).isEqualTo(stats.records());
        assertThat(impressionIds).hasSize((int) stats.impressions());
        assertThat(engagementIds).hasSize((int) stats.engagements());
    }

    private static void awaitStats(TrafficSimulator simulator, Predicate<SimulatorStats> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.test(simulator.stats())) {
            assertThat(System.nanoTime())
                    .as("waiting for %s", simulator.stats())
                    .isLessThan(deadline);
            assertThat(simulator.failure()).isNull();
            Thread.sleep(50);
        }
    }
}
