package dev.freshet.cli.simulate;

import dev.freshet.cli.DurationConverter;
import dev.freshet.cli.exception.CommandException;
import dev.freshet.cli.kafka.InputTopics;
import dev.freshet.flink.config.Topics;
import dev.freshet.simulator.KafkaEventSink;
import dev.freshet.simulator.SimulatorConfig;
import dev.freshet.simulator.SimulatorStats;
import dev.freshet.simulator.TrafficSimulator;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshet simulate}: synthetic traffic with learnable structure into Kafka, in real time.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Write simulated impressions and engagements to Kafka in real time, until stopped"
                    + " (Ctrl-C) or for --duration: users in segments and items in categories whose"
                    + " affinity drives clicks, saves, hides and pays, with delayed, early,"
                    + " duplicate and malformed events (docs/SIMULATOR.md).",
            "Prints a progress line every 5 s on stdout. The same --seed and start time give the"
                    + " same events."
        })
public final class SimulateCommand implements Callable<Integer> {

    private static final long PROGRESS_MILLIS = 5_000;
    private static final long POLL_MILLIS = 200;

    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "H:P",
            description = "Kafka to write to.")
    String bootstrapServers;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Impressions per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "Seed of the users, items and every draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--duration",
            paramLabel = "D",
            converter = DurationConverter.class,
            description = "Stop after this long, e.g. 10m (default: until stopped).")
    Duration duration;

    @Option(
            names = "--users",
            paramLabel = "N",
            defaultValue = "" + SimulatorConfig.DEFAULT_USERS,
            description = "Number of users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
            names = "--items",
            paramLabel = "N",
            defaultValue = "" + SimulatorConfig.DEFAULT_ITEMS,
            description = "Number of items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(
            names = "--delay-scale",
            paramLabel = "X",
            defaultValue = "1",
            description =
                    "Scales every engagement delay, to match the pipeline's attribution windows:"
                            + " 1 suits the production defaults (click 10m ... pay 2h), 0.1 the"
                            + " short windows of freshet local (default: ${DEFAULT-VALUE}).")
    double delayScale;

    @Override
    public Integer call() throws InterruptedException {
        SimulatorConfig config = config();
        // The simulator writes the pipeline's default input topics.
        InputTopics.prepare(bootstrapServers, Topics.DEFAULTS);
        PrintWriter out = spec.commandLine().getOut();
        TrafficSimulator simulator =
                TrafficSimulator.start(config, new KafkaEventSink(bootstrapServers));
        Thread hook = new Thread(simulator::close, "freshet-simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long started = System.currentTimeMillis();
        long end = duration == null ? Long.MAX_VALUE : started + duration.toMillis();
        long nextProgress = started + PROGRESS_MILLIS;
        while (simulator.isRunning() && System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            if (now >= nextProgress) {
                out.println(progress(now - started, simulator.stats()));
                nextProgress += PROGRESS_MILLIS;
            }
            Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, Math.min(end, nextProgress) - now)));
        }
        simulator.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Ctrl-C: the JVM is shutting down and the hook has closed the simulator
        }
        if (simulator.failure() != null) {
            throw new CommandException(
                    "simulation stopped: " + simulator.failure().getMessage(), simulator.failure());
        }
        out.println(progress(System.currentTimeMillis() - started, simulator.stats()) + " done");
        return 0;
    }

    SimulatorConfig config() {
        require(Double.isFinite(rate) && rate > 0, "--rate must be a positive number, got " + rate);
        require(users >= 1, "--users must be at least 1, got " + users);
        require(items >= 1, "--items must be at least 1, got " + items);
        require(
                Double.isFinite(delayScale) && delayScale > 0,
                "--delay-scale must be a positive number, got " + delayScale);
        require(
                duration == null || (!duration.isNegative() && !duration.isZero()),
                "--duration must be positive, got " + duration);
        return SimulatorConfig.defaults()
                .withRate(rate)
                .withSeed(seed)
                .withPopulation(users, items)
                .withDelayScale(delayScale);
    }

    static String progress(long elapsedMillis, SimulatorStats s) {
        return String.format(
                "simulate %ds: requests=%d impressions=%d engagements=%d malformed=%d"
                        + " duplicates=%d",
                elapsedMillis / 1000,
                s.requests(),
                s.impressions(),
                s.engagements(),
                s.malformed(),
                s.duplicates());
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
