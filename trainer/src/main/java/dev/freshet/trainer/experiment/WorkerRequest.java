package dev.freshet.trainer.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What {@link ExperimentRunner} asks one {@link ExperimentWorker} process to do, as JSON.
 *
 * @param model the model config's JSON (as {@code ModelConfigJson} writes it)
 * @param gpu whether to train on the first GPU
 */
record WorkerRequest(
        String name,
        JsonNode model,
        List<Long> seeds,
        ExperimentSettings settings,
        boolean gpu,
        String data,
        String result) {}
