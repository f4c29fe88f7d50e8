package dev.freshet.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.spec.FeatureConfig;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import dev.freshet.simulator.SimulatedFeatures;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The study presets a user runs docs/EXPERIMENTS.md with: each loads and says what it claims. */
class StudyPresetsTest {

    private static final Path PRESETS = Path.of("..", "presets");

    @Test
    void theSimulatorCaptureConfigKeepsTheSimulatorsFeaturesAndNeverRefits() {
        PipelineConfig config =
                PipelineConfigFile.load(
                        PRESETS.resolve("pipelines/simulator-study.yaml"),
                        PipelineConfig.defaults("localhost:9092"));
        FeatureConfig simulator = SimulatedFeatures.featureConfig();
        FeatureConfig study = config.features();

        // Same features, hashing and buckets as the simulator's, so the capture is what local
        // trains on; only the refit criterion differs.
        assertThat(study.hashSeed()).isEqualTo(simulator.hashSeed());
        assertThat(study.dense()).isEqualTo(simulator.dense());
        assertThat(study.sparse()).isEqualTo(simulator.sparse());
        assertThat(study.embeddings()).isEqualTo(simulator.embeddings());
        assertThat(study.minVocabularyOverlap()).isZero();
        assertThat(study.maxBucketShift()).isGreaterThanOrEqualTo(1_000_000);
        assertThat(config.bootstrapSamples()).isEqualTo(30_000);
    }

    @Test
    void theOpenBanditPipelineLabelsClicksAndProcessesTheReplaysFeatures() {
        PipelineConfig config =
                PipelineConfigFile.load(
                        PRESETS.resolve("pipelines/open-bandit.yaml"),
                        PipelineConfig.defaults("localhost:9092"));

        assertThat(config.tasks().tasks()).containsExactly("click");
        assertThat(config.features().sparse())
                .extracting(FeatureConfig.SparseFeature::name)
                .contains("user_feature_0", "item_feature_1", "campaign", "policy");
    }

    @Test
    void theBaseConfigsNameTheirTasksAndHit() {
        ModelConfig simulator = ModelConfigFile.load(PRESETS.resolve("experiments/simulator.yaml"));
        ModelConfig openBandit =
                ModelConfigFile.load(PRESETS.resolve("experiments/open-bandit.yaml"));

        assertThat(simulator.taskNames()).containsExactly("click", "save", "hide", "pay");
        assertThat(simulator.hit()).isEqualTo(new ModelConfig.Hit("save", 3));
        assertThat(openBandit.taskNames()).containsExactly("click");
    }
}
