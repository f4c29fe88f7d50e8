package dev.freshet.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshet.features.config.Durations;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.gate.GateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads the trainer service's config: the {@code trainer:} section (with its {@code gate:}) and the
 * {@code model:} section of a Freshet YAML file; both optional, every key defaulted, unknown keys
 * and wrong types fail naming the key.
 *
 * <pre>
 * trainer:
 *   model_name: ranking
 *   batch_size: 512
 *   memory_budget: 0.6      # optional: the largest batch up to batch_size under 60% of memory
 *   publish_every_samples: 50000
 *   publish_every: 5m
 *   gate: {spike_sigmas: 6, replay_steps: 4, max_prediction_drift: 0.1}
 * model:
 *   tasks: [{name: click}, {name: save}]
 * </pre>
 */
public final class TrainerConfigFile {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final Set<String> TRAINER_KEYS =
            Set.of(
                    "model_name",
                    "samples_topic",
                    "dead_letter_topic",
                    "spec_topic",
                    "batch_size",
                    "memory_budget",
                    "max_batch_wait",
                    "publish_every_samples",
                    "publish_every",
                    "probe_size",
                    "window_size",
                    "state_dir",
                    "keep_checkpoints",
                    "threads",
                    "device",
                    "gate");
    private static final Set<String> GATE_KEYS =
            Set.of(
                    "max_abs_parameter",
                    "spike_sigmas",
                    "spike_min_relative",
                    "spike_warmup_steps",
                    "replay_steps",
                    "replay_tolerance",
                    "max_prediction_drift",
                    "max_auc_drop",
                    "max_log_loss_increase",
                    "min_quality_samples",
                    "min_quality_positives",
                    "min_trained_samples",
                    "max_consecutive_rejections");

    private TrainerConfigFile() {}

    public static TrainerServiceConfig load(Path file, Path defaultStateDir) {
        try {
            return parse(new String(Files.readAllBytes(file)), defaultStateDir);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read config " + file + ": " + e.getMessage(), e);
        }
    }

    public static TrainerServiceConfig parse(String yaml, Path defaultStateDir) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed config: " + e.getMessage(), e);
        }
        TrainerServiceConfig d = TrainerServiceConfig.defaults(defaultStateDir);
        if (root == null || !root.isObject()) {
            return d;
        }
        JsonNode t = root.path("trainer");
        if (!t.isMissingNode() && !t.isNull() && !t.isObject()) {
            throw new IllegalArgumentException("trainer: expected an object");
        }
        check(t, "trainer.", TRAINER_KEYS);
        JsonNode g = t.path("gate");
        check(g, "trainer.gate.", GATE_KEYS);
        GateConfig dg = d.gate();
        GateConfig gate =
                new GateConfig(
                        num(g, "trainer.gate.", "max_abs_parameter", dg.maxAbsParameter()),
                        num(g, "trainer.gate.", "spike_sigmas", dg.spikeSigmas()),
                        num(g, "trainer.gate.", "spike_min_relative", dg.spikeMinRelative()),
                        (int) num(g, "trainer.gate.", "spike_warmup_steps", dg.spikeWarmupSteps()),
                        (int) num(g, "trainer.gate.", "replay_steps", dg.replaySteps()),
                        num(g, "trainer.gate.", "replay_tolerance", dg.replayTolerance()),
                        num(g, "trainer.gate.", "max_prediction_drift", dg.maxPredictionDrift()),
                        num(g, "trainer.gate.", "max_auc_drop", dg.maxAucDrop()),
                        num(g, "trainer.gate.", "max_log_loss_increase", dg.maxLogLossIncrease()),
                        (int)
                                num(
                                        g,
                                        "trainer.gate.",
                                        "min_quality_samples",
                                        dg.minQualitySamples()),
                        (int)
                                num(
                                        g,
                                        "trainer.gate.",
                                        "min_quality_positives",
                                        dg.minQualityPositives()),
                        (long)
                                num(
                                        g,
                                        "trainer.gate.",
                                        "min_trained_samples",
                                        dg.minTrainedSamples()),
                        (int)
                                num(
                                        g,
                                        "trainer.gate.",
                                        "max_consecutive_rejections",
                                        dg.maxConsecutiveRejections()));
        return new TrainerServiceConfig(
                text(t, "model_name", d.modelName()),
                text(t, "samples_topic", d.samplesTopic()),
                text(t, "dead_letter_topic", d.deadLetterTopic()),
                text(t, "spec_topic", d.specTopic()),
                (int) num(t, "trainer.", "batch_size", d.batchSize()),
                t.hasNonNull("memory_budget")
                        ? Double.valueOf(num(t, "trainer.", "memory_budget", Double.NaN))
                        : d.memoryBudget(),
                duration(t, "max_batch_wait", d.maxBatchWait()),
                (long) num(t, "trainer.", "publish_every_samples", d.publishEverySamples()),
                duration(t, "publish_every", d.publishEvery()),
                (int) num(t, "trainer.", "probe_size", d.probeSize()),
                (int) num(t, "trainer.", "window_size", d.windowSize()),
                t.has("state_dir") ? Path.of(text(t, "state_dir", "")) : d.stateDir(),
                (int) num(t, "trainer.", "keep_checkpoints", d.keepCheckpoints()),
                (int) num(t, "trainer.", "threads", d.threads()),
                text(t, "device", d.device()),
                gate,
                root.has("model") ? ModelConfigFile.parse(root.get("model")) : d.model());
    }

    private static void check(JsonNode node, String prefix, Set<String> keys) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(prefix + ": expected an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(
                        prefix + key + ": unknown key (known: " + keys + ")");
            }
        }
    }

    private static double num(JsonNode node, String prefix, String key, double fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(prefix + key + ": expected a number");
        }
        return v.doubleValue();
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("trainer." + key + ": expected a string");
        }
        return v.textValue();
    }

    private static Duration duration(JsonNode node, String key, Duration fallback) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trainer." + key + ": " + e.getMessage(), e);
        }
    }
}
