package dev.freshet.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshet.trainer.config.ModelConfig.EmbeddingOptimizer;
import dev.freshet.trainer.config.ModelConfig.Hit;
import dev.freshet.trainer.config.ModelConfig.Interaction;
import dev.freshet.trainer.config.ModelConfig.InteractionType;
import dev.freshet.trainer.config.ModelConfig.KlBound;
import dev.freshet.trainer.config.ModelConfig.Optimizer;
import dev.freshet.trainer.config.ModelConfig.Pooling;
import dev.freshet.trainer.config.ModelConfig.Task;
import dev.freshet.trainer.config.ModelConfig.UserInterest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a model config file (JSON or YAML; a top-level {@code model:} key is unwrapped so the
 * section can live in the shared Freshet config). Keys are snake_case; anything not given keeps its
 * {@link ModelConfig#defaults() default}. Unknown keys and wrong types fail with {@link
 * IllegalArgumentException} naming the key, so a typo never silently trains a different model.
 *
 * <pre>
 * tasks: [{name: click, weight: 1.0}, {name: save, weight: 2.0}]
 * embedding_dim: 16
 * interaction: {type: masknet_parallel, cross_layers: 2, mask_blocks: 3, projection_ratio: 2.0, mask_output_dim: 512}
 * bi_interaction: false
 * user_interest: {sequence: recent_items, target: item_id, pooling: attention, max_length: 50, attention_hidden: 32}
 * mlp: [256, 128]
 * kl_bound: {product: [click, conversion], target: pay, weight: 0.1}
 * optimizer: {dense_lr: 0.001, embedding: adam, embedding_lr: 0.01}
 * hit: {task: save, k: 3}
 * seed: 42
 * </pre>
 */
public final class ModelConfigFile {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private ModelConfigFile() {}

    public static ModelConfig load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read model config " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static ModelConfig parse(String text) {
        try {
            return parse(YAML.readTree(text));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed model config: " + e.getMessage(), e);
        }
    }

    public static ModelConfig parse(JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return ModelConfig.defaults();
        }
        if (root.isObject() && root.size() == 1 && root.has("model")) {
            root = root.get("model");
        }
        ModelConfig d = ModelConfig.defaults();
        Section s =
                new Section(
                        "",
                        root,
                        Set.of(
                                "tasks",
                                "embedding_dim",
                                "project_above",
                                "project_dim",
                                "interaction",
                                "concat_input",
                                "bi_interaction",
                                "user_interest",
                                "mlp",
                                "kl_bound",
                                "optimizer",
                                "hit",
                                "seed"));
        return new ModelConfig(
                s.has("tasks") ? tasks(s.node("tasks")) : d.tasks(),
                s.integer("embedding_dim", d.embeddingDim()),
                s.integer("project_above", d.projectAbove()),
                s.integer("project_dim", d.projectDim()),
                s.has("interaction") ? interaction(s.section("interaction")) : d.interaction(),
                s.bool("concat_input", d.concatInput()),
                s.bool("bi_interaction", d.biInteraction()),
                s.has("user_interest") ? userInterest(s.section("user_interest")) : null,
                s.has("mlp") ? s.integers("mlp") : d.mlp(),
                s.has("kl_bound") ? klBound(s.section("kl_bound")) : null,
                s.has("optimizer") ? optimizer(s.section("optimizer")) : d.optimizer(),
                s.has("hit") ? hit(s.section("hit")) : null,
                s.longValue("seed", d.seed()));
    }

    private static List<Task> tasks(JsonNode node) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("tasks: expected a list of {name, weight}");
        }
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Section t = new Section("tasks[" + i + "].", node.get(i), Set.of("name", "weight"));
            tasks.add(new Task(t.requiredText("name"), t.number("weight", 1.0)));
        }
        return tasks;
    }

    private static Interaction interaction(Section s) {
        s.allow(
                "type",
                "cross_layers",
                "rank",
                "mask_blocks",
                "projection_ratio",
                "mask_output_dim",
                "parallel_stacks");
        Interaction d = Interaction.defaults();
        return new Interaction(
                s.has("type") ? s.enumValue("type", InteractionType.values()) : d.type(),
                s.integer("cross_layers", d.crossLayers()),
                s.integer("rank", d.rank()),
                s.integer("mask_blocks", d.maskBlocks()),
                s.number("projection_ratio", d.projectionRatio()),
                s.integer("mask_output_dim", d.maskOutputDim()),
                s.integer("parallel_stacks", d.parallelStacks()));
    }

    private static UserInterest userInterest(Section s) {
        s.allow("sequence", "target", "pooling", "max_length", "attention_hidden");
        return new UserInterest(
                s.requiredText("sequence"),
                s.requiredText("target"),
                s.has("pooling") ? s.enumValue("pooling", Pooling.values()) : Pooling.AVERAGE,
                s.integer("max_length", 50),
                s.integer("attention_hidden", 32));
    }

    private static KlBound klBound(Section s) {
        s.allow("product", "target", "weight");
        List<String> product = new ArrayList<>();
        JsonNode p = s.node("product");
        if (p == null || !p.isArray()) {
            throw new IllegalArgumentException("kl_bound.product: expected a list of two tasks");
        }
        p.forEach(n -> product.add(n.asText()));
        return new KlBound(product, s.requiredText("target"), s.number("weight", 0.1));
    }

    private static Optimizer optimizer(Section s) {
        s.allow("dense_lr", "embedding", "embedding_lr", "beta1", "beta2", "epsilon");
        Optimizer d = Optimizer.defaults();
        return new Optimizer(
                s.number("dense_lr", d.denseLr()),
                s.has("embedding")
                        ? s.enumValue("embedding", EmbeddingOptimizer.values())
                        : d.embedding(),
                s.number("embedding_lr", d.embeddingLr()),
                s.number("beta1", d.beta1()),
                s.number("beta2", d.beta2()),
                s.number("epsilon", d.epsilon()));
    }

    private static Hit hit(Section s) {
        s.allow("task", "k");
        return new Hit(s.requiredText("task"), s.integer("k", 3));
    }

    /** One object of the file, with its key prefix for error messages. */
    private static final class Section {
        private final String prefix;
        private final JsonNode node;

        Section(String prefix, JsonNode node, Set<String> allowed) {
            this.prefix = prefix;
            this.node = node;
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(
                        (prefix.isEmpty() ? "model config" : prefix) + ": expected an object");
            }
            if (allowed != null) {
                allow(allowed.toArray(String[]::new));
            }
        }

        void allow(String... keys) {
            Set<String> allowed = Set.of(keys);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw new IllegalArgumentException(
                            prefix + key + ": unknown key (known: " + allowed + ")");
                }
            }
        }

        boolean has(String key) {
            return node.has(key) && !node.get(key).isNull();
        }

        JsonNode node(String key) {
            return node.get(key);
        }

        Section section(String key) {
            // The caller checks the keys with allow(...).
            return new Section(prefix + key + ".", node.get(key), null);
        }

        int integer(String key, int fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode v = node.get(key);
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw wrongType(key, "an integer");
            }
            return v.intValue();
        }

        long longValue(String key, long fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode v = node.get(key);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw wrongType(key, "an integer");
            }
            return v.longValue();
        }

        double number(String key, double fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode v = node.get(key);
            if (!v.isNumber()) {
                throw wrongType(key, "a number");
            }
            return v.doubleValue();
        }

        boolean bool(String key, boolean fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode v = node.get(key);
            if (!v.isBoolean()) {
                throw wrongType(key, "true or false");
            }
            return v.booleanValue();
        }

        String requiredText(String key) {
            if (!has(key) || !node.get(key).isTextual()) {
                throw wrongType(key, "a string");
            }
            return node.get(key).textValue();
        }

        List<Integer> integers(String key) {
            JsonNode v = node.get(key);
            if (!v.isArray()) {
                throw wrongType(key, "a list of integers");
            }
            List<Integer> out = new ArrayList<>();
            for (JsonNode n : v) {
                if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                    throw wrongType(key, "a list of integers");
                }
                out.add(n.intValue());
            }
            return out;
        }

        <E extends Enum<E>> E enumValue(String key, E[] values) {
            String text = requiredText(key);
            for (E e : values) {
                if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return e;
                }
            }
            List<String> known = new ArrayList<>();
            for (E e : values) {
                known.add(e.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(
                    prefix + key + ": '" + text + "' is not one of " + known);
        }

        private IllegalArgumentException wrongType(String key, String expected) {
            return new IllegalArgumentException(prefix + key + ": expected " + expected);
        }
    }
}
