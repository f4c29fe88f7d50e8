package dev.freshet.trainer.experiment;

import dev.freshet.trainer.config.ModelConfig;
import java.util.Objects;

/** One column of the study: a model config and the name the table shows for it. */
public record ExperimentConfig(String name, ModelConfig model) {
    public ExperimentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a config needs a name");
        }
    }
}
