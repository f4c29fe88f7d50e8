package dev.freshet.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentDataTest {

    private static final SyntheticSamples.Data SYNTHETIC =
            SyntheticSamples.generate(50, 1, SyntheticSamples.Shape.small());

    @Test
    void writesAndReadsTheSameSamplesInTheSameOrder(@TempDir Path dir) {
        ExperimentData data = new ExperimentData(SYNTHETIC.spec(), SYNTHETIC.samples());
        Path file = dir.resolve("samples.bin");

        data.write(file);
        ExperimentData read = ExperimentData.read(file);

        assertThat(read.spec()).isEqualTo(data.spec());
        assertThat(read.samples()).containsExactlyElementsOf(data.samples());
        assertThat(read.labelNames()).containsExactlyInAnyOrderElementsOf(SyntheticSamples.TASKS);
        // The synthetic traffic shows 8 items per request; the last sample is a request's last.
        assertThat(data.largestRequest(0)).isEqualTo(8);
        assertThat(data.largestRequest(49)).isEqualTo(1);
    }

    @Test
    void choosesTheKnownSpecVersionWithTheMostSamples() {
        List<Sample> samples = new ArrayList<>(SYNTHETIC.samples());
        samples.add(0, SYNTHETIC.samples().get(0).withSpecVersion("older"));
        samples.add(SYNTHETIC.samples().get(1).withSpecVersion(Sample.RAW_SPEC));

        ExperimentData.Chosen chosen = ExperimentData.choose(List.of(SYNTHETIC.spec()), samples);

        assertThat(chosen.data().samples()).containsExactlyElementsOf(SYNTHETIC.samples());
        assertThat(chosen.skipped()).containsEntry("older", 1).containsEntry(Sample.RAW_SPEC, 1);
    }

    @Test
    void refusesSamplesWithoutTheirSpecAndTasksWithoutLabels() {
        assertThatThrownBy(() -> ExperimentData.choose(List.of(), SYNTHETIC.samples()))
                .hasMessageContaining("none of the 50 samples was made under a known feature spec")
                .hasMessageContaining(SYNTHETIC.spec().version());
        ExperimentData data = new ExperimentData(SYNTHETIC.spec(), SYNTHETIC.samples());
        assertThatThrownBy(() -> data.requireLabels(List.of("click", "purchase")))
                .hasMessageContaining("task purchase has no label in any of the 50 samples");
        assertThatThrownBy(() -> new ExperimentData(SYNTHETIC.spec(), List.of()))
                .hasMessageContaining("no samples");
    }
}
