package dev.freshet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import dev.freshet.simulator.SimulatorConfig;
import dev.freshet.simulator.SimulatorStats;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code freshet simulate}: flags to the simulator's config, and the usage errors. */
class SimulateCommandTest {

    @Test
    void defaultsAreTheSimulatorDefaults() {
        SimulateCommand command = parse("--bootstrap-servers", "localhost:9092");

        assertThat(command.config()).isEqualTo(SimulatorConfig.defaults());
        assertThat(command.duration).isNull();
    }

    @Test
    void flagsOverrideTheDefaults() {
        SimulateCommand command =
                parse(
                        "--bootstrap-servers", "k:9092",
                        "--rate", "500",
                        "--seed", "7",
                        "--duration", "10m",
                        "--users", "100",
                        "--items", "5",
                        "--delay-scale", "0.1");
        SimulatorConfig c = command.config();

        assertThat(c.impressionsPerSecond()).isEqualTo(500);
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.users()).isEqualTo(100);
        assertThat(c.items()).isEqualTo(5);
        assertThat(c.itemsPerRequest()).isEqualTo(5);
        assertThat(c.delayScale()).isEqualTo(0.1);
        assertThat(command.duration).hasMinutes(10);
    }

    @Test
    void aBadRateIsAUsageErrorOnOneLine() {
        CliRun run = CliRun.of("simulate", "--bootstrap-servers", "localhost:1", "--rate", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("--rate must be a positive number, got 0.0");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void otherUsageErrors() {
        assertThat(CliRun.of("simulate").err()).contains("--bootstrap-servers");
        assertThat(CliRun.of("simulate").exitCode()).isEqualTo(2);
        CliRun scale = CliRun.of("simulate", "--bootstrap-servers", "h:1", "--delay-scale", "0");
        assertThat(scale.exitCode()).isEqualTo(2);
        assertThat(scale.err()).contains("--delay-scale must be a positive number");
        CliRun users = CliRun.of("simulate", "--bootstrap-servers", "h:1", "--users", "0");
        assertThat(users.exitCode()).isEqualTo(2);
        assertThat(users.err()).contains("--users must be at least 1");
        CliRun duration = CliRun.of("simulate", "--bootstrap-servers", "h:1", "--duration", "x");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("--duration");
    }

    @Test
    void theProgressLineNamesEveryCounter() {
        assertThat(SimulateCommand.progress(12_345, new SimulatorStats(1, 8, 2, 3, 4, 1)))
                .isEqualTo(
                        "simulate 12s: requests=1 impressions=8 engagements=2 malformed=3"
                                + " duplicates=4");
    }

    private static SimulateCommand parse(String... args) {
        SimulateCommand command = new SimulateCommand();
        CommandLine cli = new CommandLine(command);
        cli.parseArgs(args);
        command.spec = cli.getCommandSpec();
        return command;
    }
}
