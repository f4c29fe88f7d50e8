package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/** The shared MLP (Linear + ReLU per hidden width) and the K task logits on top of it. */
final class Mlp {

    private final List<Linear> hidden = new ArrayList<>();
    private final Linear logits;

    Mlp(Params params, long in, List<Integer> widths, int tasks) {
        long width = in;
        for (int i = 0; i < widths.size(); i++) {
            hidden.add(new Linear(params, "mlp." + i, width, widths.get(i), true));
            width = widths.get(i);
        }
        this.logits = new Linear(params, "logits", width, tasks, true);
    }

    NDArray forward(NDArray x) {
        NDArray h = x;
        for (Linear layer : hidden) {
            h = Activation.relu(layer.forward(h));
        }
        return logits.forward(h);
    }
}
