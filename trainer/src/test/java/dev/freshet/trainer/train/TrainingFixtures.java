package dev.freshet.trainer.train;

import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.embedding.EmbeddingTable;
import dev.freshet.trainer.embedding.RowSparseOptimizer;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small synthetic training setups shared by the trainer's tests. */
final class TrainingFixtures {

    static final ModelConfig FOUR_TASKS =
            ModelConfigFile.parse(
                    """
                    tasks: [{name: click}, {name: save}, {name: conversion}, {name: pay}]
                    mlp: [64, 32]
                    kl_bound: {product: [click, conversion], target: pay, weight: 0.1}
                    hit: {task: save, k: 3}
                    optimizer: {dense_lr: 0.003, embedding_lr: 0.05}
                    """);

    private TrainingFixtures() {}

    static List<Batch> batches(SyntheticSamples.Data data, ModelConfig config, int size) {
        BatchAssembler assembler =
                new BatchAssembler(ModelLayout.of(data.spec()), config.taskNames());
        List<Batch> batches = new ArrayList<>();
        List<Sample> samples = data.samples();
        for (int i = 0; i + size <= samples.size(); i += size) {
            batches.add(assembler.assemble(samples.subList(i, i + size)).batch());
        }
        return batches;
    }

    /** Every number of the training state, by name: parameters, tables, optimizer state. */
    static Map<String, Object> state(TrainingSession session) {
        Map<String, Object> state = new LinkedHashMap<>();
        List<Param> params = session.network().params().all();
        for (int i = 0; i < params.size(); i++) {
            state.put(params.get(i).name(), params.get(i).array().toFloatArray());
            state.put(
                    "m." + params.get(i).name(),
                    session.denseOptimizer().firstMoments().get(i).toFloatArray());
            state.put(
                    "v." + params.get(i).name(),
                    session.denseOptimizer().secondMoments().get(i).toFloatArray());
        }
        List<EmbeddingTable> tables = session.embeddings().tables();
        for (int f = 0; f < tables.size(); f++) {
            state.put("table." + tables.get(f).name(), tables.get(f).weights().clone());
            RowSparseOptimizer o = session.embeddings().optimizers().get(f);
            for (Map.Entry<String, Object> e : o.state().entrySet()) {
                Object v = e.getValue();
                state.put(
                        "opt." + tables.get(f).name() + "." + e.getKey(),
                        v instanceof float[] a ? a.clone() : ((int[]) v).clone());
            }
        }
        state.put("steps", session.steps());
        state.put("samples", session.samples());
        state.put("adam_steps", session.denseOptimizer().steps());
        return state;
    }
}
