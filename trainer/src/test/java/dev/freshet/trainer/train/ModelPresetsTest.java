package dev.freshet.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.config.ModelConfigJson;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.model.Params;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shipped model preset (presets/models) parses, builds and trains with finite steps, on the
 * synthetic samples plus the two fields the user-interest presets read: {@code item_id} (the item,
 * under the simulator's name) and {@code recent_items} (the items the same user clicked earlier in
 * the stream, newest first, at most 20).
 */
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
        ModelLayout synthetic = ModelLayout.of(data.spec());
        List<ModelLayout.SparseField> sparse = new ArrayList<>(synthetic.sparse());
        sparse.add(
                new ModelLayout.SparseField("item_id", SyntheticSamples.Shape.small().buckets()));
        sparse.add(
                new ModelLayout.SparseField(
                        "recent_items", SyntheticSamples.Shape.small().buckets()));
        ModelLayout layout =
                new ModelLayout(
                        synthetic.specVersion(), synthetic.dense(), sparse, synthetic.embeddings());
        List<Sample> samples = withRecentItems(data.samples());
        Map<String, Long> parameters = new TreeMap<>();
        Map<String, Long> crossParameters = new TreeMap<>();
        for (Map.Entry<String, ModelConfig> e : presets.entrySet()) {
            BatchAssembler assembler = new BatchAssembler(layout, e.getValue().taskNames());
            List<Batch> batches = new ArrayList<>();
            for (int i = 0; i + 128 <= samples.size(); i += 128) {
                batches.add(assembler.assemble(samples.subList(i, i + 128)).batch());
            }
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

        for (ModelConfig.Pooling pooling : ModelConfig.Pooling.values()) {
            String name =
                    "baseline-dcn4-interest-" + pooling.name().toLowerCase(Locale.ROOT) + ".yaml";
            assertThat(presets.get(name).userInterest().pooling()).as(name).isEqualTo(pooling);
        }
        assertThat(parameters.get("baseline-dcn4-interest-average.yaml"))
                .isEqualTo(parameters.get("baseline-dcn4.yaml"))
                .isLessThan(parameters.get("baseline-dcn4-interest-attention.yaml"));
    }

    /** Parameters whose name contains {@code part}. */
    private static long count(Params params, String part) {
        return params.all().stream()
                .filter(p -> p.name().contains(part))
                .mapToLong(Param::size)
                .sum();
    }

    private static List<Sample> withRecentItems(List<Sample> samples) {
        Map<String, Deque<Long>> clicked = new HashMap<>();
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            Deque<Long> recent = clicked.computeIfAbsent(s.userId(), u -> new ArrayDeque<>());
            Map<String, long[]> sparse = new LinkedHashMap<>(s.sparse());
            long item = s.sparse().get("item")[0];
            sparse.put("item_id", new long[] {item});
            sparse.put("recent_items", recent.stream().mapToLong(Long::longValue).toArray());
            if (s.labels().get("click") == 1) {
                recent.addFirst(item);
                if (recent.size() > 20) {
                    recent.removeLast();
                }
            }
            out.add(s.withSparse(sparse));
        }
        return out;
    }
}
