package dev.freshet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.KafkaBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code freshet simulate --duration} against a real broker: it creates the topics and stops. */
@ExtendWith(KafkaBrokerExtension.class)
class SimulateCommandIT {

    @Test
    void writesForTheDurationAndSaysWhatItSent(KafkaBroker kafka) {
        CliRun run =
                CliRun.of(
                        "simulate",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--rate",
                        "400",
                        "--duration",
                        "2s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).last().asString().endsWith(" done").contains("impressions=");
        assertThat(kafka.readCommitted("impressions", 100, Duration.ofSeconds(30), Duration.ZERO))
                .hasSizeGreaterThanOrEqualTo(100);
    }
}
