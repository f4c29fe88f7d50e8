package dev.freshet.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import dev.freshet.trainer.service.TrainerConfigFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The config {@code freshet local} runs with: its own defaults (short windows and intervals, in
 * {@code local.yaml} beside this class) with the user's {@code --config} laid over them key by key,
 * written to one file that the pipeline and the trainer both read and a person can inspect.
 */
final class LocalConfigFile {

    private static final String DEFAULTS = "local.yaml";
    private static final ObjectMapper YAML = new YAMLMapper();

    private LocalConfigFile() {}

    /**
     * Writes the merged config to {@code target} and returns it.
     *
     * @throws IllegalArgumentException if the user's file is unreadable or not a YAML mapping
     */
    static Path write(Optional<Path> userFile, Path target) {
        ObjectNode merged = defaults();
        if (userFile.isPresent()) {
            merge(merged, read(userFile.get()));
        }
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            YAML.writeValue(target.toFile(), merged);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return target;
    }

    /**
     * Reads {@code file} as the pipeline and the trainer will, so that a bad key or value is
     * reported before any component starts.
     *
     * @throws IllegalArgumentException (or the pipeline's ConfigException) naming the key
     */
    static void check(Path file) {
        PipelineConfigFile.load(file, PipelineConfig.defaults("localhost:9092"));
        TrainerConfigFile.load(file, Path.of("trainer"));
    }

    static ObjectNode defaults() {
        try (InputStream in = LocalConfigFile.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " missing from the classpath");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS, e);
        }
    }

    private static ObjectNode read(Path file) {
        JsonNode node;
        try {
            node = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read config " + file + ": " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return YAML.createObjectNode();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping at the top level");
        }
        return (ObjectNode) node;
    }

    /**
     * Mappings merge recursively; anything else in {@code over} replaces what is in {@code base}.
     */
    static void merge(ObjectNode base, ObjectNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = base.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
                merge(o, n);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }
}
