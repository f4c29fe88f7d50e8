package dev.freshet.cli.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code freshet local} runs: where its state lives, the ports of its services and the
 * simulated traffic.
 *
 * @param dir all state: broker data, buckets, checkpoints, the trainer's state, the effective
 *     config and the log
 * @param ports the ports the services listen on
 * @param rate simulated impressions per second; 0 runs the stack without traffic
 * @param seed the simulator's seed
 * @param delayScale the simulator's engagement delays, scaled (1 = as documented in SIMULATOR.md)
 * @param configFile a Freshet YAML file over the local defaults, if any
 * @param duration how long to run before stopping by itself; empty = until Ctrl-C
 */
public record LocalStackConfig(
        Path dir,
        Ports ports,
        double rate,
        long seed,
        double delayScale,
        Optional<Path> configFile,
        Optional<Duration> duration) {

    /** Listening ports; each must be free. */
    public record Ports(
            int kafka, int controller, int s3, int registry, int serving, int trainerMetrics) {

        public static final Ports DEFAULTS = new Ports(9092, 9093, 9000, 8080, 8081, 9464);

        public Ports {
            int[] all = {kafka, controller, s3, registry, serving, trainerMetrics};
            for (int port : all) {
                if (port < 1 || port > 65_535) {
                    throw new IllegalArgumentException("ports are 1 to 65535, got " + port);
                }
            }
            if (java.util.Arrays.stream(all).distinct().count() != all.length) {
                throw new IllegalArgumentException(
                        "every port must differ: " + java.util.Arrays.toString(all));
            }
        }
    }

    public LocalStackConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(duration, "duration");
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be 0 or more impressions/s, got " + rate);
        }
        if (!(delayScale > 0) || Double.isInfinite(delayScale)) {
            throw new IllegalArgumentException("delay scale must be positive, got " + delayScale);
        }
        if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }

    Path kafkaDir() {
        return dir.resolve("kafka");
    }

    Path s3Dir() {
        return dir.resolve("s3");
    }

    Path checkpointDir() {
        return dir.resolve("checkpoints");
    }

    Path trainerDir() {
        return dir.resolve("trainer");
    }

    Path servingDir() {
        return dir.resolve("serving");
    }

    /** The config the stack runs with: the local defaults with the user's file over them. */
    Path effectiveConfig() {
        return dir.resolve("config.yaml");
    }

    Path registryToken() {
        return dir.resolve("registry-token");
    }

    Path logFile() {
        return dir.resolve("freshet.log");
    }
}
