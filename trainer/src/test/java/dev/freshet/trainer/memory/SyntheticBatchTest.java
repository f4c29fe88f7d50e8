package dev.freshet.trainer.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.train.StepResult;
import dev.freshet.trainer.train.TrainingSession;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticBatchTest {

    static final ModelLayout LAYOUT =
            new ModelLayout(
                    "probe",
                    List.of("price", "age"),
                    List.of(
                            new ModelLayout.SparseField("item_id", 40),
                            new ModelLayout.SparseField("recent_items", 40),
                            new ModelLayout.SparseField("country", 3)),
                    List.of(new ModelLayout.EmbeddingField("text", 4)));

    static final ModelConfig INTEREST =
            ModelConfigFile.parse(
                    """
                    tasks: [{name: click}, {name: save}]
                    embedding_dim: 8
                    mlp: [16]
                    user_interest: {sequence: recent_items, target: item_id, max_length: 6, pooling: attention}
                    """);

    @Test
    void everyValueIsPresentAndTheSequenceIsFull() {
        Batch b = SyntheticBatch.of(LAYOUT, INTEREST, 5);

        assertThat(b.size()).isEqualTo(5);
        assertThat(b.requestIds()).hasSize(5).doesNotContainNull();
        assertThat(b.dense()).hasSize(10);
        assertThat(b.missing()).hasSize(10).containsOnly(0f);
        assertThat(b.embeddings()).hasSize(20);
        // CSR per field: one id per sample, max_length ids per sample in the sequence field.
        assertThat(b.bagOffsets()[0]).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(b.bagOffsets()[1]).containsExactly(0, 6, 12, 18, 24, 30);
        assertThat(b.bagIds()[1]).hasSize(30);
        assertThat(b.bagIds()[2]).hasSize(5).containsOnly(0, 1, 2);
        for (int f = 0; f < LAYOUT.sparse().size(); f++) {
            int buckets = LAYOUT.sparse().get(f).buckets();
            assertThat(IntStream.of(b.bagIds()[f])).allMatch(id -> id >= 0 && id < buckets);
        }
        assertThat(b.labels()).hasSize(10).contains(0f, 1f);
        assertThat(b.labelMask()).hasSize(10).containsOnly(1f);
        assertThat(b.weights()).containsOnly(1f);
    }

    @Test
    void withoutUserInterestEveryFieldHoldsOneId() {
        ModelConfig plain = ModelConfigFile.parse("tasks: [{name: click}]\nembedding_dim: 8");
        Batch b = SyntheticBatch.of(LAYOUT, plain, 4);

        for (int[] offsets : b.bagOffsets()) {
            assertThat(offsets).containsExactly(IntStream.rangeClosed(0, 4).toArray());
        }
        assertThat(b.labels()).hasSize(4);
    }

    @Test
    void aModelTrainsOnIt() {
        try (TrainingSession session = new TrainingSession(INTEREST, LAYOUT, 1)) {
            StepResult r = session.step(SyntheticBatch.of(LAYOUT, INTEREST, 32));

            assertThat(r.applied()).isTrue();
            assertThat(r.loss()).isFinite();
        }
    }
}
