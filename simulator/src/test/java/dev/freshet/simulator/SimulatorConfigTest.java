package dev.freshet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defaults, copies and the validation messages of the config and its environment. */
class SimulatorConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        SimulatorConfig c = SimulatorConfig.defaults();

        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.impressionsPerSecond()).isEqualTo(2000);
        assertThat(c.users()).isEqualTo(5000);
        assertThat(c.items()).isEqualTo(1000);
        assertThat(c.itemsPerRequest()).isEqualTo(8);
        assertThat(c.impressionsTopic()).isEqualTo("impressions");
        assertThat(c.engagementsTopic()).isEqualTo("engagements");
        assertThat(c.withSeed(7).withRate(10).withDelayScale(0.5))
                .extracting(
                        SimulatorConfig::seed,
                        SimulatorConfig::impressionsPerSecond,
                        SimulatorConfig::delayScale)
                .containsExactly(7L, 10.0, 0.5);
    }

    @Test
    void badValuesAreRejectedWithTheirName() {
        SimulatorConfig c = SimulatorConfig.defaults();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> c.withRate(0))
                .withMessage("impressionsPerSecond must be a positive number, got 0.0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> c.withDelayScale(Double.NaN))
                .withMessageStartingWith("delayScale");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> c.withShares(1.5, 0, 0))
                .withMessageStartingWith("malformedShare must be in [0, 1)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> c.withPopulation(10, 0))
                .withMessageStartingWith("items must be at least 1");
    }

    @Test
    void theEnvironmentSetsRateAndSeed() {
        Map<String, String> env =
                Map.of(
                        SimulatorEnv.BOOTSTRAP_SERVERS, "kafka:9092",
                        SimulatorEnv.RATE, "250",
                        SimulatorEnv.SEED, "9");

        assertThat(SimulatorEnv.bootstrapServers(env)).isEqualTo("kafka:9092");
        assertThat(SimulatorEnv.config(env).impressionsPerSecond()).isEqualTo(250);
        assertThat(SimulatorEnv.config(env).seed()).isEqualTo(9);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SimulatorEnv.bootstrapServers(Map.of()))
                .withMessage("FRESHET_BOOTSTRAP_SERVERS is not set");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SimulatorEnv.config(Map.of(SimulatorEnv.RATE, "fast")))
                .withMessage("FRESHET_SIMULATOR_RATE must be a number, got fast");
    }
}
