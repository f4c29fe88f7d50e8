package dev.freshet.serving.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.Impression;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.SparseSpec;
import dev.freshet.serving.TestModels;
import dev.freshet.serving.model.ModelLoader;
import dev.freshet.serving.model.ModelSlot;
import dev.freshet.trainer.train.TrainingSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving's scores on raw impression JSON equal the trainer's predictions on the samples the
 * pipeline makes of the same impressions.
 */
class ScorerTest {

    @TempDir static Path dir;

    static TrainingSession trainer;
    static ModelSlot slot = new ModelSlot();
    static Scorer scorer;

    @BeforeAll
    static void loadVersion() throws Exception {
        trainer = TestModels.train(6, 1);
        TestModels.writeVersion(trainer, dir, 16);
        slot.swap(new ModelLoader(1, 1e-6).load(dir, TestModels.manifest(dir, 7)));
        scorer = new Scorer(slot, EventLimits.DEFAULTS, 100);
    }

    @AfterAll
    static void close() {
        slot.close();
        trainer.close();
    }

    @Test
    void scoresEqualTheTrainersPredictionsOnThePipelinesSamples() throws Exception {
        List<byte[]> impressions = TestModels.impressions(40, 5);
        List<Sample> samples = new ArrayList<>();
        for (byte[] json : impressions) {
            samples.add(TestModels.pipelineSample(TestModels.parse(json), Map.of()));
        }
        float[] expected = trainer.predict(TestModels.batch(samples));

        // The inputs cover what differs between raw and processed features.
        assertThat(samples).anyMatch(s -> s.denseMissing().contains("price"));
        assertThat(samples)
                .anyMatch(
                        s ->
                                s.sparse().containsKey("category")
                                        && s.sparse().get("category")[0] == SparseSpec.OOV);
        assertThat(samples).anyMatch(s -> s.sparse().getOrDefault("tags", new long[0]).length > 1);
        assertThat(samples).anyMatch(s -> !s.embeddings().containsKey("user_seq"));

        for (int i = 0; i < impressions.size(); i++) {
            Scores one = scorer.score(impressions.get(i));
            assertThat(one.version()).isEqualTo(7);
            assertThat(one.impressions()).hasSize(1);
            assertScores(one.impressions().get(0), samples.get(i), expected, i);
        }
        Scores all = scorer.score(array(impressions));
        assertThat(all.impressions()).hasSize(impressions.size());
        for (int i = 0; i < impressions.size(); i++) {
            assertScores(all.impressions().get(i), samples.get(i), expected, i);
        }
    }

    @Test
    void aValueJustBelowACutPointLandsInThePipelinesBucket() throws Exception {
        byte[] json =
                impression("\"dense\": {\"price\": 12.299999999999999}")
                        .getBytes(StandardCharsets.UTF_8);
        Impression imp = TestModels.parse(json);
        Sample s = TestModels.pipelineSample(imp, Map.of());
        // As a double the value is below the 12.3 boundary (bucket 2 of 6); at the samples' float
        // precision it is above it (bucket 3), in training and so in serving.
        assertThat(s.dense().get("price")).isEqualTo(3f / 6);
        float[] expected = trainer.predict(TestModels.batch(List.of(s)));
        assertScores(scorer.score(json).impressions().get(0), s, expected, 0);
    }

    @Test
    void badInputIsATypedErrorNamingTheField() {
        assertInvalid("{\"impression_id\": ", "unparseable", null, 0);
        assertInvalid(
                impression("\"dense\": {\"price\": \"cheap\"}"), "wrong_type", "dense.price", 0);
        assertInvalid(
                impression("\"sparse\": {\"tags\": [\"a\", 3]}"), "wrong_type", "sparse.tags", 0);
        assertInvalid(
                impression("\"embeddings\": {\"user_seq\": [1, 2]}"),
                "wrong_dimension",
                "embeddings.user_seq",
                0);
        assertInvalid(
                "{\"request_id\": \"r\", \"event_time\": 1732262400123}",
                "missing_field",
                "impression_id",
                0);
        assertInvalid(
                "[" + impression("") + ", {\"impression_id\": 5}]",
                "wrong_type",
                "impression_id",
                1);
        assertInvalid("[]", "missing_field", null, -1);
        assertInvalid("[1, 2", "unparseable", null, -1);
        assertInvalid("42", "unparseable", null, 0);
    }

    @Test
    void noModelYetIsItsOwnError() {
        Scorer empty = new Scorer(new ModelSlot(), EventLimits.DEFAULTS, 10);
        assertThatThrownBy(() -> empty.score(impression("").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(NoModelException.class);
    }

    private static void assertInvalid(String body, String reason, String field, int index) {
        assertThatThrownBy(() -> scorer.score(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> {
                            assertThat(e.reason()).as(body).isEqualTo(reason);
                            assertThat(e.field()).as(body).isEqualTo(field);
                            assertThat(e.index()).as(body).isEqualTo(index);
                        });
    }

    static String impression(String features) {
        return "{\"impression_id\": \"a:1\", \"request_id\": \"a\", \"event_time\": 1732262400123"
                + (features.isEmpty() ? "" : ", " + features)
                + "}";
    }

    private static byte[] array(List<byte[]> impressions) {
        StringBuilder b = new StringBuilder("[\n");
        for (int i = 0; i < impressions.size(); i++) {
            b.append(i == 0 ? "  " : ",\n  ")
                    .append(new String(impressions.get(i), StandardCharsets.UTF_8));
        }
        return b.append("\n]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void assertScores(Scores.Scored scored, Sample sample, float[] expected, int i) {
        assertThat(scored.impressionId()).isEqualTo(sample.impressionId());
        assertThat(scored.scores().keySet()).containsExactlyElementsOf(TestModels.TASKS);
        for (int t = 0; t < TestModels.TASKS.size(); t++) {
            assertThat(scored.scores().get(TestModels.TASKS.get(t)))
                    .as("%s %s", sample.impressionId(), TestModels.TASKS.get(t))
                    .isCloseTo(expected[i * TestModels.TASKS.size() + t], within(1e-6));
        }
    }
}
