package dev.freshet.trainer.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Writes a {@link ModelConfig} in the file format {@link ModelConfigFile} reads, every field
 * explicit, keys in a fixed order: checkpoints carry it, and its sha256 is the config hash a
 * manifest records.
 */
public final class ModelConfigJson {

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ModelConfigJson() {}

    public static ObjectNode toTree(ModelConfig c) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode tasks = root.putArray("tasks");
        c.tasks().forEach(t -> tasks.addObject().put("name", t.name()).put("weight", t.weight()));
        root.put("embedding_dim", c.embeddingDim());
        root.put("project_above", c.projectAbove());
        root.put("project_dim", c.projectDim());
        ModelConfig.Interaction i = c.interaction();
        root.putObject("interaction")
                .put("type", i.type().name().toLowerCase(Locale.ROOT))
                .put("cross_layers", i.crossLayers())
                .put("rank", i.rank())
                .put("mask_blocks", i.maskBlocks())
                .put("projection_ratio", i.projectionRatio())
                .put("mask_output_dim", i.maskOutputDim());
        if (i.type() == ModelConfig.InteractionType.DCN_PARALLEL
                || i.parallelStacks() != ModelConfig.Interaction.defaults().parallelStacks()) {
            // Like bi_interaction: configs from before the key keep their hash.
            ((ObjectNode) root.get("interaction")).put("parallel_stacks", i.parallelStacks());
        }
        root.put("concat_input", c.concatInput());
        if (c.biInteraction()) {
            // Only when on: configs without it keep the hash (and resumability) they had.
            root.put("bi_interaction", true);
        }
        ModelConfig.UserInterest u = c.userInterest();
        if (u != null) {
            // Only when present, like bi_interaction.
            root.putObject("user_interest")
                    .put("sequence", u.sequence())
                    .put("target", u.target())
                    .put("pooling", u.pooling().name().toLowerCase(Locale.ROOT))
                    .put("max_length", u.maxLength())
                    .put("attention_hidden", u.attentionHidden());
        }
        ArrayNode mlp = root.putArray("mlp");
        c.mlp().forEach(mlp::add);
        if (c.klBound() != null) {
            ObjectNode kl = root.putObject("kl_bound");
            ArrayNode product = kl.putArray("product");
            c.klBound().product().forEach(product::add);
            kl.put("target", c.klBound().target()).put("weight", c.klBound().weight());
        }
        ModelConfig.Optimizer o = c.optimizer();
        root.putObject("optimizer")
                .put("dense_lr", o.denseLr())
                .put("embedding", o.embedding().name().toLowerCase(Locale.ROOT))
                .put("embedding_lr", o.embeddingLr())
                .put("beta1", o.beta1())
                .put("beta2", o.beta2())
                .put("epsilon", o.epsilon());
        if (c.hit() != null) {
            root.putObject("hit").put("task", c.hit().task()).put("k", c.hit().k());
        }
        root.put("seed", c.seed());
        return root;
    }

    public static String toJson(ModelConfig config) {
        return toTree(config).toPrettyString();
    }

    /** sha256 of the canonical JSON: equal configs hash equal, any change changes it. */
    public static String hash(ModelConfig config) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(toJson(config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
