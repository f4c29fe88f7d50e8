package dev.freshet.serving;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The container entry point: a replica configured from {@link ServingEnv}, until stopped. */
public final class ServingMain {

    private static final Logger LOG = LoggerFactory.getLogger(ServingMain.class);

    private ServingMain() {}

    public static void main(String[] args) throws Exception {
        ServingConfig config;
        try {
            config = ServingConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("freshet serving: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(config);
    }

    /** Runs a replica until the JVM is asked to stop. */
    public static void run(ServingConfig config) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        ServingReplica replica = ServingReplica.start(config);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    LOG.info("Serving stopping");
                                    replica.close();
                                    stopped.countDown();
                                },
                                "freshet-serving-shutdown"));
        LOG.info(
                "Serving {}/{} from {} on http://localhost:{}/score",
                config.watcher().model(),
                config.watcher().alias(),
                config.registry(),
                replica.port());
        stopped.await();
    }
}
