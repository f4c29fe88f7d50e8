package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * Parallel DCNv2: independent full-rank cross stacks (name.0, name.1, ...) on the same feature
 * embedding, their outputs concatenated, so P stacks of L layers cross as deep as one stack of L
 * and give the MLP P different views of x0, P·n wide.
 */
final class ParallelCrossNetwork implements Interaction {

    private final List<CrossNetwork> stacks = new ArrayList<>();

    ParallelCrossNetwork(Params params, String name, long n, int stackCount, int layerCount) {
        for (int p = 0; p < stackCount; p++) {
            stacks.add(new CrossNetwork(params, name + "." + p, n, layerCount, 0));
        }
    }

    @Override
    public NDArray forward(NDArray x0) {
        NDList outputs = new NDList(stacks.size());
        for (CrossNetwork stack : stacks) {
            outputs.add(stack.forward(x0));
        }
        return outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(outputs, 1);
    }

    @Override
    public long outputDim() {
        return stacks.stream().mapToLong(CrossNetwork::outputDim).sum();
    }
}
