package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * MaskNet's serial model (Wang et al., 2021): MaskNet blocks one after another, the first on the
 * feature embedding, each next one on the previous block's output, every block's mask computed from
 * the feature embedding; DCNv2 cross layers stacked on the last block's output (with it as their
 * x0), as {@link ParallelMaskNet} stacks them on its concatenation.
 */
final class SequentialMaskNet implements Interaction {

    private final List<MaskBlock> blocks = new ArrayList<>();
    private final CrossNetwork cross;

    SequentialMaskNet(
            Params params, long n, int blockCount, double ratio, long out, int crossLayers) {
        blocks.add(new MaskBlock(params, "masknet.0", n, ratio, out));
        for (int i = 1; i < blockCount; i++) {
            blocks.add(MaskBlock.onBlock(params, "masknet." + i, n, out, ratio, out));
        }
        this.cross = new CrossNetwork(params, "masknet.cross", out, crossLayers, 0);
    }

    @Override
    public NDArray forward(NDArray x0) {
        NDArray h = x0;
        for (MaskBlock block : blocks) {
            h = block.forward(x0, h);
        }
        return cross.forward(h);
    }

    @Override
    public long outputDim() {
        return cross.outputDim();
    }
}
