package dev.freshet.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each pooling learns what only the behaviour sequence tells: p(click) is 0.9 when the candidate
 * item is among the user's recent items and 0.1 when not (half the samples each; one in ten users
 * has no history), so a model that does not relate the sequence to the target stays at log loss ln
 * 2 ≈ 0.69, and the best possible is 0.33.
 */
class UserInterestLearningTest {

    static final int ITEMS = 40;
    static final ModelLayout LAYOUT =
            new ModelLayout(
                    "interest",
                    List.of("noise"),
                    List.of(
                            new ModelLayout.SparseField("item_id", ITEMS),
                            new ModelLayout.SparseField("recent_items", ITEMS)),
                    List.of());

    @ParameterizedTest
    @ValueSource(strings = {"average", "max", "attention"})
    void theLossFallsWellBelowWhatIgnoringTheSequenceCanReach(String pooling) {
        ModelConfig config =
                ModelConfigFile.parse(
                        """
                        embedding_dim: 8
                        interaction: {type: dcn, cross_layers: 2}
                        mlp: [32]
                        optimizer: {dense_lr: 0.003, embedding_lr: 0.05}
                        user_interest: {sequence: recent_items, target: item_id, max_length: 6, pooling: %s}
                        """
                                .formatted(pooling));
        BatchAssembler assembler = new BatchAssembler(LAYOUT, config.taskNames());
        SplittableRandom random = new SplittableRandom(11);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batches.add(assembler.assemble(samples(random, 128)).batch());
        }
        try (TrainingSession session = new TrainingSession(config, LAYOUT, 1)) {
            double first = 0;
            double last = 0;
            for (int epoch = 0; epoch < 5; epoch++) {
                double sum = 0;
                for (Batch b : batches) {
                    StepResult r = session.step(b);
                    assertThat(r.refusal()).isNull();
                    sum += r.loss();
                }
                if (epoch == 0) {
                    first = sum / batches.size();
                }
                last = sum / batches.size();
            }
            assertThat(last)
                    .as("%s: mean loss of the first epoch %s, of the last", pooling, first)
                    .isLessThan(0.55)
                    .isLessThan(first - 0.1);
        }
    }

    /** Sequences of 0-8 distinct items, listed as given (longer than max_length sometimes). */
    static List<Sample> samples(SplittableRandom random, int n) {
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = random.nextDouble() < 0.1 ? 0 : 1 + random.nextInt(8);
            List<Long> recent = new ArrayList<>();
            while (recent.size() < length) {
                long id = random.nextInt(ITEMS);
                if (!recent.contains(id)) {
                    recent.add(id);
                }
            }
            // Only the first max_length = 6 count: the candidate is drawn from those.
            List<Long> seen = recent.subList(0, Math.min(6, length));
            boolean inSequence = !seen.isEmpty() && random.nextBoolean();
            long target;
            if (inSequence) {
                target = seen.get(random.nextInt(seen.size()));
            } else {
                do {
                    target = random.nextInt(ITEMS);
                } while (seen.contains(target));
            }
            int click = random.nextDouble() < (inSequence ? 0.9 : 0.1) ? 1 : 0;
            samples.add(
                    new Sample(
                            "imp-" + i,
                            "r-" + i,
                            "u",
                            "i" + target,
                            null,
                            i,
                            i,
                            LAYOUT.specVersion(),
                            Map.of("click", click),
                            1f,
                            Map.of("noise", (float) random.nextDouble()),
                            List.of(),
                            length == 0
                                    ? Map.of("item_id", new long[] {target})
                                    : Map.of(
                                            "item_id",
                                            new long[] {target},
                                            "recent_items",
                                            recent.stream().mapToLong(Long::longValue).toArray()),
                            Map.of(),
                            Map.of()));
        }
        return samples;
    }
}
