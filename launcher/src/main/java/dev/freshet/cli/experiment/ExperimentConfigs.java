package dev.freshet.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshet.cli.exception.CommandException;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.experiment.ExperimentConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The model configs of an experiment, each laid over a shared base. A preset ({@code
 * presets/models/}) holds only the architecture; the base holds what the study keeps fixed (tasks
 * and their weights, HIT task, optimizer, embedding width). Top-level keys of a config replace the
 * base's whole: an {@code interaction} section never inherits another layout's knobs. Without tasks
 * in either, the model learns every label the samples carry, each with weight 1.
 */
final class ExperimentConfigs {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private ExperimentConfigs() {}

    /**
     * @param files the configs, named by file name without extension (made unique with -2, -3...)
     * @param base the shared base config, or null
     * @param labels the label names the samples carry, in order
     */
    static List<ExperimentConfig> load(List<Path> files, Path base, List<String> labels) {
        ObjectNode baseTree = base == null ? YAML.createObjectNode() : object(base);
        List<ExperimentConfig> configs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            ObjectNode merged = baseTree.deepCopy();
            merged.setAll(object(file));
            if (!merged.has("tasks")) {
                merged.set("tasks", tasks(labels));
            }
            try {
                configs.add(
                        new ExperimentConfig(
                                unique(name(file), names), ModelConfigFile.parse(merged)));
            } catch (IllegalArgumentException e) {
                throw new CommandException(
                        file + (base == null ? "" : " over " + base) + ": " + e.getMessage(), e);
            }
        }
        return configs;
    }

    /** A config's name in the table: its file name without the extension. */
    static String name(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = name + "-" + i;
        }
        return candidate;
    }

    private static JsonNode tasks(List<String> labels) {
        var list = YAML.createArrayNode();
        labels.forEach(label -> list.addObject().put("name", label).put("weight", 1.0));
        return list;
    }

    private static ObjectNode object(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new CommandException(
                    "cannot read model config " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return YAML.createObjectNode();
        }
        if (root.isObject() && root.size() == 1 && root.has("model")) {
            root = root.get("model");
        }
        if (!(root instanceof ObjectNode o)) {
            throw new CommandException(file + ": a model config must be a mapping of keys");
        }
        return o;
    }
}
