package dev.freshet.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.config.ModelConfigJson;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.model.Params;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shipped model preset (presets/models) parses, builds and trains with finite steps. */
class ModelPresetsTest {

    static final Path PRESETS = Path.of("..", "presets", "models");

    @Test
    void everyPresetTrainsAndTheStudyKnobsDoWhatTheyName() throws IOException {
        Map<String, ModelConfig> presets = new TreeMap<>();
        try (Stream<Path> files = Files.list(PRESETS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                presets.put(f.getFileName().toString(), ModelConfigFile.load(f));
            }
        }
        assertThat(presets).hasSizeGreaterThanOrEqualTo(10);

        SyntheticSamples.Data data =
                SyntheticSamples.generate(512, 7, SyntheticSamples.Shape.small());
        ModelLayout layout = ModelLayout.of(data.spec());
        Map<String, Long> parameters = new TreeMap<>();
        Map<String, Long> crossParameters = new TreeMap<>();
        for (Map.Entry<String, ModelConfig> e : presets.entrySet()) {
            List<Batch> batches = TrainingFixtures.batches(data, e.getValue(), 128);
            try (TrainingSession session = new TrainingSession(e.getValue(), layout, 1)) {
                for (Batch b : batches) {
                    StepResult r = session.step(b);
                    assertThat(r.refusal()).as("%s step", e.getKey()).isNull();
                    assertThat(r.loss()).as("%s loss", e.getKey()).isFinite();
                }
                parameters.put(e.getKey(), session.network().params().count());
                crossParameters.put(e.getKey(), count(session.network().params(), "cross."));
            }
        }
        assertThat(parameters.get("dcn2.yaml")).isLessThan(parameters.get("baseline-dcn4.yaml"));
        assertThat(parameters.get("baseline-dcn4.yaml")).isLessThan(parameters.get("dcn8.yaml"));
        assertThat(parameters.get("dcn4-low-rank-16.yaml"))
                .isLessThan(parameters.get("dcn4-low-rank-64.yaml"));
        assertThat(presets.get("masknet-parallel-dcn2.yaml").concatInput()).isFalse();
        assertThat(presets.get("baseline-dcn4-nfm.yaml").biInteraction()).isTrue();

        // Parallel DCNv2: the baseline's 4 cross layers as 2 stacks of 2, same cross parameters.
        ModelConfig.Interaction parallelDcn = presets.get("dcn-parallel-2x2.yaml").interaction();
        assertThat(parallelDcn.type()).isEqualTo(ModelConfig.InteractionType.DCN_PARALLEL);
        assertThat(parallelDcn.parallelStacks() * parallelDcn.crossLayers()).isEqualTo(4);
        assertThat(crossParameters.get("dcn-parallel-2x2.yaml"))
                .isEqualTo(crossParameters.get("baseline-dcn4.yaml"));

        // Sequential MaskNet differs from the parallel preset in the layout only.
        ModelConfig sequential = presets.get("masknet-sequential-dcn2.yaml");
        ModelConfig parallel = presets.get("masknet-parallel-dcn2.yaml");
        assertThat(sequential.interaction().type())
                .isEqualTo(ModelConfig.InteractionType.MASKNET_SEQUENTIAL);
        assertThat(
                        ModelConfigFile.parse(
                                ModelConfigJson.toJson(sequential)
                                        .replace("masknet_sequential", "masknet_parallel")))
                .isEqualTo(parallel);
        // Its cross layers see one block's output instead of the concatenation of three.
        assertThat(crossParameters.get("masknet-sequential-dcn2.yaml"))
                .isLessThan(crossParameters.get("masknet-parallel-dcn2.yaml"));
    }

    /** Parameters whose name contains {@code part}. */
    private static long count(Params params, String part) {
        return params.all().stream()
                .filter(p -> p.name().contains(part))
                .mapToLong(Param::size)
                .sum();
    }
}
