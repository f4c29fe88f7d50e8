package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** Stacked DCNv2 cross layers (full-rank when rank is 0, else low-rank with ReLU). */
final class CrossNetwork implements Interaction {

    private final List<CrossLayer> layers = new ArrayList<>();
    private final long dim;

    CrossNetwork(Params params, String name, long n, int layerCount, int rank) {
        this.dim = n;
        for (int i = 0; i < layerCount; i++) {
            layers.add(new CrossLayer(params, name + "." + i, n, rank));
        }
    }

    @Override
    public NDArray forward(NDArray x0) {
        NDArray x = x0;
        for (CrossLayer layer : layers) {
            x = layer.forward(x0, x);
        }
        return x;
    }

    @Override
    public long outputDim() {
        return dim;
    }
}
