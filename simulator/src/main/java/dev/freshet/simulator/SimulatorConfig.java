package dev.freshet.simulator;

/**
 * What the traffic simulator generates and where it writes it. Immutable; the {@code with...}
 * methods return a changed copy.
 *
 * @param seed seeds the world (users, items, their latent vectors) and every draw after it
 * @param impressionsPerSecond the pace in real time; requests come at this rate divided by {@code
 *     itemsPerRequest}
 * @param users how many users there are
 * @param items how many items there are
 * @param itemsPerRequest distinct items shown per request, at positions 1..n
 * @param malformedShare share of records replaced by a malformed version of themselves
 * @param duplicateShare share of valid records sent a second time, byte for byte, a little later
 * @param earlyEngagementShare share of engagements sent before their impression (the impression is
 *     held back instead); only engagements with a short delay qualify
 * @param delayScale multiplies every engagement delay (1.0 = seconds for clicks, minutes for pays)
 * @param impressionsTopic the Kafka topic of impressions
 * @param engagementsTopic the Kafka topic of engagements
 */
public record SimulatorConfig(
        long seed,
        double impressionsPerSecond,
        int users,
        int items,
        int itemsPerRequest,
        double malformedShare,
        double duplicateShare,
        double earlyEngagementShare,
        double delayScale,
        String impressionsTopic,
        String engagementsTopic) {

    public static final double DEFAULT_RATE = 2000;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_USERS = 5000;
    public static final int DEFAULT_ITEMS = 1000;

    public SimulatorConfig {
        require(
                Double.isFinite(impressionsPerSecond) && impressionsPerSecond > 0,
                "impressionsPerSecond must be a positive number, got " + impressionsPerSecond);
        require(users >= 1, "users must be at least 1, got " + users);
        require(items >= 1, "items must be at least 1, got " + items);
        require(
                itemsPerRequest >= 1 && itemsPerRequest <= items,
                "itemsPerRequest must be between 1 and items ("
                        + items
                        + "), got "
                        + itemsPerRequest);
        share("malformedShare", malformedShare);
        share("duplicateShare", duplicateShare);
        share("earlyEngagementShare", earlyEngagementShare);
        require(
                Double.isFinite(delayScale) && delayScale > 0,
                "delayScale must be a positive number, got " + delayScale);
        require(
                impressionsTopic != null && !impressionsTopic.isBlank(),
                "impressionsTopic must not be empty");
        require(
                engagementsTopic != null && !engagementsTopic.isBlank(),
                "engagementsTopic must not be empty");
    }

    public static SimulatorConfig defaults() {
        return new SimulatorConfig(
                DEFAULT_SEED,
                DEFAULT_RATE,
                DEFAULT_USERS,
                DEFAULT_ITEMS,
                8,
                0.005,
                0.01,
                0.02,
                1.0,
                "impressions",
                "engagements");
    }

    public SimulatorConfig withSeed(long s) {
        return new SimulatorConfig(
                s,
                impressionsPerSecond,
                users,
                items,
                itemsPerRequest,
                malformedShare,
                duplicateShare,
                earlyEngagementShare,
                delayScale,
                impressionsTopic,
                engagementsTopic);
    }

    public SimulatorConfig withRate(double perSecond) {
        return new SimulatorConfig(
                seed,
                perSecond,
                users,
                items,
                itemsPerRequest,
                malformedShare,
                duplicateShare,
                earlyEngagementShare,
                delayScale,
                impressionsTopic,
                engagementsTopic);
    }

    public SimulatorConfig withDelayScale(double d) {
        return new SimulatorConfig(
                seed,
                impressionsPerSecond,
                users,
                items,
                itemsPerRequest,
                malformedShare,
                duplicateShare,
                earlyEngagementShare,
                d,
                impressionsTopic,
                engagementsTopic);
    }

    /** A copy with another population size. */
    public SimulatorConfig withPopulation(int users, int items) {
        return new SimulatorConfig(
                seed,
                impressionsPerSecond,
                users,
                items,
                Math.min(itemsPerRequest, items),
                malformedShare,
                duplicateShare,
                earlyEngagementShare,
                delayScale,
                impressionsTopic,
                engagementsTopic);
    }

    /** A copy with other shares of malformed, duplicate and early records. */
    public SimulatorConfig withShares(double malformed, double duplicates, double early) {
        return new SimulatorConfig(
                seed,
                impressionsPerSecond,
                users,
                items,
                itemsPerRequest,
                malformed,
                duplicates,
                early,
                delayScale,
                impressionsTopic,
                engagementsTopic);
    }

    private static void share(String name, double value) {
        require(
                Double.isFinite(value) && value >= 0 && value < 1,
                name + " must be in [0, 1), got " + value);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
