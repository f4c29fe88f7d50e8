package dev.freshet.trainer.train;

import static dev.freshet.trainer.train.TrainingFixtures.FOUR_TASKS;
import static dev.freshet.trainer.train.TrainingFixtures.batches;
import static dev.freshet.trainer.train.TrainingFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same config, data and seed give bit-identical training state; a run resumed from a checkpoint is
 * bit for bit the run that was never interrupted, optimizer state included.
 */
class DeterminismTest {

    static final SyntheticSamples.Data DATA =
            SyntheticSamples.generate(3_000, 3, SyntheticSamples.Shape.small());
    static final ModelLayout LAYOUT = ModelLayout.of(DATA.spec());

    @Test
    void twoRunsWithTheSameSeedAreBitIdentical() {
        List<Batch> batches = batches(DATA, FOUR_TASKS, 100);
        Map<String, Object> first = train(FOUR_TASKS, batches);
        Map<String, Object> second = train(FOUR_TASKS, batches);
        assertBitIdentical(first, second);
        assertThat(first.get("steps")).isEqualTo(30L);
    }

    @Test
    void everyInteractionTypeIsDeterministic() {
        List<Batch> batches = batches(DATA, FOUR_TASKS, 200).subList(0, 5);
        for (String interaction :
                List.of(
                        "{type: dcn_low_rank, cross_layers: 2, rank: 8}",
                        "{type: masknet_parallel, cross_layers: 1, mask_blocks: 2,"
                                + " mask_output_dim: 32}",
                        "{type: dcn_parallel, cross_layers: 1, parallel_stacks: 2}",
                        "{type: masknet_sequential, cross_layers: 1, mask_blocks: 2,"
                                + " mask_output_dim: 32}")) {
            ModelConfig config =
                    ModelConfigFile.parse(
                            "tasks: [{name: click}, {name: save}]\nmlp: [16]\n"
                                    + "optimizer: {embedding: adagrad}\ninteraction: "
                                    + interaction);
            assertBitIdentical(train(config, batches), train(config, batches));
        }
    }

    /** The sequence's rows and their per-element gradient go through the host in a fixed order. */
    @Test
    void everyUserInterestPoolingIsDeterministic() {
        List<Batch> batches = batches(DATA, FOUR_TASKS, 200).subList(0, 5);
        for (String pooling : List.of("average", "max", "attention")) {
            ModelConfig config =
                    ModelConfigFile.parse(
                            "tasks: [{name: click}, {name: save}]\nmlp: [16]\n"
                                    + "user_interest: {sequence: tags, target: item, max_length: 2,"
                                    + " attention_hidden: 8, pooling: "
                                    + pooling
                                    + "}");
            assertBitIdentical(train(config, batches), train(config, batches));
        }
    }

    @Test
    void anotherSeedGivesAnotherModel() {
        List<Batch> batches = batches(DATA, FOUR_TASKS, 100).subList(0, 3);
        Map<String, Object> a = train(FOUR_TASKS, batches);
        Map<String, Object> b = train(FOUR_TASKS.withSeed(FOUR_TASKS.seed() + 1), batches);
        assertThat(Objects.deepEquals(a.get("logits.weight"), b.get("logits.weight"))).isFalse();
    }

    @Test
    void resumingFromACheckpointEqualsNeverStopping(@TempDir Path dir) throws IOException {
        List<Batch> batches = batches(DATA, FOUR_TASKS, 100);
        Map<String, Object> uninterrupted = train(FOUR_TASKS, batches);

        try (TrainingSession session = new TrainingSession(FOUR_TASKS, LAYOUT, 1)) {
            for (Batch b : batches.subList(0, 13)) {
                session.step(b);
            }
            Checkpoint.save(session, dir);
            // Keep going in the old session so the checkpoint cannot share live arrays with it.
            session.step(batches.get(13));
        }
        try (TrainingSession resumed = Checkpoint.load(dir, 1)) {
            assertThat(resumed.steps()).isEqualTo(13);
            for (Batch b : batches.subList(13, batches.size())) {
                resumed.step(b);
            }
            assertBitIdentical(state(resumed), uninterrupted);
        }
    }

    static Map<String, Object> train(ModelConfig config, List<Batch> batches) {
        try (TrainingSession session = new TrainingSession(config, LAYOUT, 1)) {
            for (Batch b : batches) {
                assertThat(session.step(b).applied()).isTrue();
            }
            return state(session);
        }
    }

    static void assertBitIdentical(Map<String, Object> actual, Map<String, Object> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String key : expected.keySet()) {
            assertThat(Objects.deepEquals(actual.get(key), expected.get(key)))
                    .as("%s differs", key)
                    .isTrue();
        }
    }
}
