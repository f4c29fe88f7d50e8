package dev.freshet.simulator;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's container entry point, configured from the environment ({@link SimulatorEnv}).
 * Runs until the JVM is stopped; SIGTERM closes the simulator, which flushes what it sent.
 */
public final class SimulatorMain {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorMain.class);

    private SimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        String servers;
        SimulatorConfig config;
        try {
            servers = SimulatorEnv.bootstrapServers(System.getenv());
            config = SimulatorEnv.config(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("freshet simulator: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        TrafficSimulator simulator = TrafficSimulator.start(config, new KafkaEventSink(servers));
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    simulator.close();
                                    stopped.countDown();
                                },
                                "freshet-simulator-shutdown"));
        while (simulator.isRunning()) {
            Thread.sleep(5_000);
            LOG.info("{}", simulator.stats());
        }
        if (simulator.failure() != null) {
            LOG.error("Simulator failed", simulator.failure());
            System.exit(1);
        }
        stopped.await();
    }
}
