package dev.freshet.simulator;

import java.util.Map;

/** The environment variables {@link SimulatorMain} reads, in one place. */
public final class SimulatorEnv {

    public static final String BOOTSTRAP_SERVERS = "FRESHET_BOOTSTRAP_SERVERS";
    public static final String RATE = "FRESHET_SIMULATOR_RATE";
    public static final String SEED = "FRESHET_SIMULATOR_SEED";

    private SimulatorEnv() {}

    /** The bootstrap servers; required. */
    public static String bootstrapServers(Map<String, String> env) {
        String servers = env.get(BOOTSTRAP_SERVERS);
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " is not set");
        }
        return servers.trim();
    }

    /** The defaults with the rate and seed the environment names. */
    public static SimulatorConfig config(Map<String, String> env) {
        SimulatorConfig config = SimulatorConfig.defaults();
        String rate = env.get(RATE);
        if (rate != null && !rate.isBlank()) {
            config = config.withRate(number(RATE, rate));
        }
        String seed = env.get(SEED);
        if (seed != null && !seed.isBlank()) {
            try {
                config = config.withSeed(Long.parseLong(seed.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SEED + " must be an integer, got " + seed);
            }
        }
        return config;
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + value);
        }
    }
}
