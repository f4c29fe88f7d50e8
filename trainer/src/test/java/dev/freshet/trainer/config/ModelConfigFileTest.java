package dev.freshet.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigFileTest {

    @Test
    void anEmptyFileIsTheBaseline() {
        ModelConfig c = ModelConfigFile.parse("{}");
        assertThat(c).isEqualTo(ModelConfig.defaults());
        assertThat(c.interaction().type()).isEqualTo(ModelConfig.InteractionType.DCN);
        assertThat(c.interaction().crossLayers()).isEqualTo(4);
        assertThat(c.taskNames()).containsExactly("click");
    }

    @Test
    void everyOptionIsReadAndTheRestKeepsItsDefault(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.yaml");
        Files.writeString(
                file,
                """
                model:
                  tasks: [{name: click, weight: 1.0}, {name: conversion}, {name: pay, weight: 3}]
                  embedding_dim: 8
                  interaction: {type: masknet_parallel, mask_blocks: 3, projection_ratio: 2.0, mask_output_dim: 512, cross_layers: 2}
                  concat_input: false
                  mlp: [128]
                  kl_bound: {product: [click, conversion], target: pay, weight: 0.2}
                  optimizer: {embedding: adagrad, embedding_lr: 0.1}
                  hit: {task: pay, k: 3}
                  seed: 7
                """);
        ModelConfig c = ModelConfigFile.load(file);
        assertThat(c.taskNames()).containsExactly("click", "conversion", "pay");
        assertThat(c.tasks().get(2).weight()).isEqualTo(3.0);
        assertThat(c.tasks().get(1).weight()).isEqualTo(1.0);
        assertThat(c.embeddingDim()).isEqualTo(8);
        assertThat(c.projectDim()).isEqualTo(16);
        assertThat(c.interaction().type()).isEqualTo(ModelConfig.InteractionType.MASKNET_PARALLEL);
        assertThat(c.interaction().crossLayers()).isEqualTo(2);
        assertThat(c.concatInput()).isFalse();
        assertThat(c.mlp()).containsExactly(128);
        assertThat(c.klBound().weight()).isEqualTo(0.2);
        assertThat(c.optimizer().embedding()).isEqualTo(ModelConfig.EmbeddingOptimizer.ADAGRAD);
        assertThat(c.optimizer().denseLr()).isEqualTo(1e-3);
        assertThat(c.hit()).isEqualTo(new ModelConfig.Hit("pay", 3));
        assertThat(c.seed()).isEqualTo(7);
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> ModelConfigFile.parse("embeding_dim: 8"))
                .hasMessageContaining("embeding_dim: unknown key");
        assertThatThrownBy(() -> ModelConfigFile.parse("interaction: {typ: dcn}"))
                .hasMessageContaining("interaction.typ: unknown key");
        assertThatThrownBy(() -> ModelConfigFile.parse("interaction: {type: transformer}"))
                .hasMessageContaining("interaction.type: 'transformer' is not one of");
        assertThatThrownBy(() -> ModelConfigFile.parse("embedding_dim: eight"))
                .hasMessageContaining("embedding_dim: expected an integer");
        assertThatThrownBy(() -> ModelConfigFile.parse("mlp: [64, -1]"))
                .hasMessageContaining("mlp[1]: must be positive");
        assertThatThrownBy(() -> ModelConfigFile.parse("tasks: [{name: click}, {name: click}]"))
                .hasMessageContaining("'click' appears twice");
        assertThatThrownBy(
                        () ->
                                ModelConfigFile.parse(
                                        "kl_bound: {product: [click, conversion], target: pay}"))
                .hasMessageContaining("kl_bound.product: 'conversion' is not one of the tasks");
        assertThatThrownBy(() -> ModelConfigFile.parse("optimizer: {beta1: 1.5}"))
                .hasMessageContaining("beta1");
        assertThatThrownBy(() -> ModelConfigFile.parse("tasks: [{name: click, weight: -1}]"))
                .hasMessageContaining("tasks.click.weight");
        assertThatThrownBy(() -> ModelConfigFile.parse("[1, 2"))
                .hasMessageContaining("malformed model config");
    }

    @Test
    void theWrittenFormReadsBackEqualAndHashesStably() {
        ModelConfig c =
                ModelConfigFile.parse(
                        """
                        tasks: [{name: click}, {name: conversion}, {name: pay}]
                        kl_bound: {product: [click, conversion], target: pay, weight: 0.2}
                        hit: {task: click, k: 5}
                        interaction: {type: dcn_low_rank, rank: 16}
                        """);
        assertThat(ModelConfigFile.parse(ModelConfigJson.toJson(c))).isEqualTo(c);
        assertThat(ModelConfigJson.hash(c)).isEqualTo(ModelConfigJson.hash(c)).hasSize(64);
        assertThat(ModelConfigJson.hash(c.withSeed(1))).isNotEqualTo(ModelConfigJson.hash(c));
    }

    @Test
    void biInteractionIsOffByDefaultAndWrittenOnlyWhenOn() {
        ModelConfig off = ModelConfig.defaults();
        ModelConfig on = ModelConfigFile.parse("bi_interaction: true");

        assertThat(off.biInteraction()).isFalse();
        assertThat(on.biInteraction()).isTrue();
        // Absent when off, so every config written before the option keeps its hash and resumes.
        assertThat(ModelConfigJson.toJson(off)).doesNotContain("bi_interaction");
        assertThat(ModelConfigFile.parse(ModelConfigJson.toJson(on))).isEqualTo(on);
        assertThat(ModelConfigJson.hash(on)).isNotEqualTo(ModelConfigJson.hash(off));
    }

    @Test
    void parallelDcnAndSequentialMaskNetReadBackEqual() {
        ModelConfig parallel =
                ModelConfigFile.parse(
                        "interaction: {type: dcn_parallel, parallel_stacks: 3, cross_layers: 2}");
        ModelConfig sequential =
                ModelConfigFile.parse(
                        "interaction: {type: masknet_sequential, mask_blocks: 3, cross_layers: 0}");

        assertThat(parallel.interaction().type())
                .isEqualTo(ModelConfig.InteractionType.DCN_PARALLEL);
        assertThat(parallel.interaction().parallelStacks()).isEqualTo(3);
        assertThat(sequential.interaction().type())
                .isEqualTo(ModelConfig.InteractionType.MASKNET_SEQUENTIAL);
        assertThat(sequential.interaction().crossLayers()).isZero();
        for (ModelConfig c : new ModelConfig[] {parallel, sequential}) {
            assertThat(ModelConfigFile.parse(ModelConfigJson.toJson(c))).isEqualTo(c);
        }
        // dcn_parallel states its stacks even at the default; other types only when changed.
        assertThat(
                        ModelConfigJson.toJson(
                                ModelConfigFile.parse("interaction: {type: dcn_parallel}")))
                .contains("\"parallel_stacks\" : 2");
        assertThat(ModelConfigJson.toJson(sequential)).doesNotContain("parallel_stacks");
        ModelConfig oddStacks = ModelConfigFile.parse("interaction: {parallel_stacks: 5}");
        assertThat(ModelConfigFile.parse(ModelConfigJson.toJson(oddStacks))).isEqualTo(oddStacks);
    }

    @Test
    void configsFromBeforeTheNewInteractionsKeepTheirHash() {
        // Hashes of configs written before parallel_stacks existed (commit a969780).
        assertThat(ModelConfigJson.hash(ModelConfig.defaults()))
                .isEqualTo("f62e84d02b3d3d3115f21864b857913dfb291ab4ea29ec486a6b7fde6c096328");
        assertThat(
                        ModelConfigJson.hash(
                                ModelConfigFile.parse(
                                        "interaction: {type: masknet_parallel, mask_blocks: 3,"
                                                + " cross_layers: 2}\nconcat_input: false")))
                .isEqualTo("3f2983b7f47ad83e173a4e523a8f3b2728bbd9eeffc0a1c7a8f51f67b0857302");
        assertThat(ModelConfigJson.toJson(ModelConfig.defaults()))
                .doesNotContain("parallel_stacks");
    }

    @Test
    void badParallelStacksAndTypesNameTheKey() {
        assertThatThrownBy(
                        () ->
                                ModelConfigFile.parse(
                                        "interaction: {type: dcn_parallel, parallel_stacks: 0}"))
                .hasMessageContaining("interaction.parallel_stacks: must be positive");
        assertThatThrownBy(() -> ModelConfigFile.parse("interaction: {parallel_stacks: two}"))
                .hasMessageContaining("interaction.parallel_stacks: expected an integer");
        assertThatThrownBy(
                        () ->
                                ModelConfigFile.parse(
                                        "interaction: {type: dcn_parallel, cross_layers: 0}"))
                .hasMessageContaining("interaction.cross_layers: dcn_parallel needs at least 1");
        assertThatThrownBy(() -> ModelConfigFile.parse("interaction: {type: masknet_serial}"))
                .hasMessageContaining("interaction.type: 'masknet_serial' is not one of")
                .hasMessageContaining("dcn_parallel")
                .hasMessageContaining("masknet_sequential");
    }

    @Test
    void userInterestIsAbsentByDefaultReadBackEqualAndWrittenOnlyWhenPresent() {
        ModelConfig off = ModelConfig.defaults();
        ModelConfig on =
                ModelConfigFile.parse(
                        "user_interest: {sequence: recent_items, target: item_id, pooling:"
                                + " attention, max_length: 20, attention_hidden: 16}");
        ModelConfig defaults =
                ModelConfigFile.parse("user_interest: {sequence: recent_items, target: item_id}");

        assertThat(off.userInterest()).isNull();
        assertThat(on.userInterest())
                .isEqualTo(
                        new ModelConfig.UserInterest(
                                "recent_items", "item_id", ModelConfig.Pooling.ATTENTION, 20, 16));
        assertThat(defaults.userInterest())
                .isEqualTo(
                        new ModelConfig.UserInterest(
                                "recent_items", "item_id", ModelConfig.Pooling.AVERAGE, 50, 32));
        // Absent when absent, so every config written before the option keeps its hash.
        assertThat(ModelConfigJson.toJson(off)).doesNotContain("user_interest");
        assertThat(ModelConfigJson.hash(off))
                .isEqualTo(ModelConfigJson.hash(ModelConfigFile.parse("{}")));
        assertThat(ModelConfigFile.parse(ModelConfigJson.toJson(on))).isEqualTo(on);
        assertThat(ModelConfigFile.parse(ModelConfigJson.toJson(defaults))).isEqualTo(defaults);
        assertThat(ModelConfigJson.hash(on)).isNotEqualTo(ModelConfigJson.hash(off));
        assertThat(ModelConfigJson.hash(on)).isNotEqualTo(ModelConfigJson.hash(defaults));
    }

    @Test
    void userInterestMistakesNameTheKey() {
        String prefix = "user_interest: {sequence: recent_items, target: item_id, ";
        assertThatThrownBy(() -> ModelConfigFile.parse(prefix + "pooling: sum}"))
                .hasMessageContaining(
                        "user_interest.pooling: 'sum' is not one of [average, max, attention]");
        assertThatThrownBy(() -> ModelConfigFile.parse(prefix + "max_length: 0}"))
                .hasMessageContaining("user_interest.max_length: must be positive");
        assertThatThrownBy(() -> ModelConfigFile.parse(prefix + "attention_hidden: -3}"))
                .hasMessageContaining("user_interest.attention_hidden: must be positive");
        assertThatThrownBy(() -> ModelConfigFile.parse(prefix + "length: 5}"))
                .hasMessageContaining("user_interest.length: unknown key");
        assertThatThrownBy(() -> ModelConfigFile.parse("user_interest: {target: item_id}"))
                .hasMessageContaining("user_interest.sequence: expected a string");
        assertThatThrownBy(
                        () ->
                                ModelConfigFile.parse(
                                        "user_interest: {sequence: item_id, target: item_id}"))
                .hasMessageContaining("user_interest.target: must differ from the sequence");
    }
}
