package dev.freshet.trainer.experiment;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import java.util.List;
import java.util.stream.Collectors;

/** Small model configs, so the experiment tests train in seconds. */
final class ModelConfigs {

    private ModelConfigs() {}

    static ModelConfig small(List<String> tasks) {
        return withInteraction(tasks, "{type: dcn, cross_layers: 2}");
    }

    static ModelConfig withInteraction(List<String> tasks, String interaction) {
        String taskList =
                tasks.stream().map(t -> "{name: " + t + "}").collect(Collectors.joining(", "));
        return ModelConfigFile.parse(
                "tasks: ["
                        + taskList
                        + "]\nembedding_dim: 8\nmlp: [32]\ninteraction: "
                        + interaction
                        + "\n");
    }
}
