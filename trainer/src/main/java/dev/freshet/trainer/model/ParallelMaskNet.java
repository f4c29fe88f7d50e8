package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pinterest homefeed layout: MaskNet blocks run in parallel on the same feature embedding,
 * their outputs are concatenated, and DCNv2 cross layers are stacked on top of the concatenation
 * (with the concatenation as their x0).
 */
final class ParallelMaskNet implements Interaction {

    private final List<MaskBlock> blocks = new ArrayList<>();
    private final CrossNetwork cross;

    ParallelMaskNet(
            Params params, long n, int blockCount, double ratio, long out, int crossLayers) {
        for (int i = 0; i < blockCount; i++) {
            blocks.add(new MaskBlock(params, "masknet." + i, n, ratio, out));
        }
        this.cross = new CrossNetwork(params, "masknet.cross", out * blockCount, crossLayers, 0);
    }

    @Override
    public NDArray forward(NDArray x0) {
        NDList outputs = new NDList(blocks.size());
        for (MaskBlock block : blocks) {
            outputs.add(block.forward(x0));
        }
        NDArray joined = outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(outputs, 1);
        return cross.forward(joined);
    }

    @Override
    public long outputDim() {
        return cross.outputDim();
    }
}
