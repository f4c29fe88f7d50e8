package dev.freshet.bench.trainer;

import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.model.RankingNetwork;

/**
 * The matrix-multiply work of one training sample: every 2-D parameter is a linear layer's weight
 * [out, in], used once per sample, which costs 2·out·in FLOPs forward and twice that backward (the
 * input's gradient and the weight's). Element-wise work (activations, masks, norms, the loss, the
 * optimizer) is left out: it is small next to the products and does not run at the GEMM rate, so
 * this is the numerator of a roofline share, not a full operation count.
 */
final class ModelFlops {

    private ModelFlops() {}

    static double perTrainingSample(ModelConfig config, ModelLayout layout) {
        long weights = 0;
        for (Param p : new RankingNetwork(layout, config).params().all()) {
            if (p.shape().dimension() == 2) {
                weights += p.shape().size();
            }
        }
        return 6.0 * weights;
    }
}
