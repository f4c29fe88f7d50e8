package dev.freshet.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.freshet.trainer.engine.Gradients;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.model.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam for the network's dense parameters, PyTorch's formula (bias-corrected moments, ε added after
 * the square root), with its moments and step count exposed so a checkpoint holds them: DJL's own
 * Adam keeps them private and {@code Model.save} drops them, which would make a resumed run diverge
 * from an uninterrupted one.
 *
 * <p>The parameters are views of one flat buffer ({@link Params#flat}), and so are the moments: the
 * update is one fused native call for the whole network rather than one per parameter, each of
 * which costs about ten small kernels (a third of a step's time at small batches). Gradients stay
 * per parameter (autograd's), and are concatenated once per step. Gradient handles are attached to
 * the step's manager and freed with it, so native memory stays flat however long training runs.
 */
public final class DenseAdam {

    private final List<Param> params;
    private final NDArray weights;
    private final NDArray mFlat;
    private final NDArray vFlat;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private long step;
    private NDArray flatGradient;
    private NDManager gradientsOf;

    public DenseAdam(
            NDManager manager,
            Params params,
            double lr,
            double beta1,
            double beta2,
            double epsilon) {
        this.params = params.all();
        this.weights = params.flat();
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.mFlat = manager.zeros(weights.getShape());
        this.vFlat = manager.zeros(weights.getShape());
        long offset = 0;
        for (Param p : this.params) {
            m.add(Params.view(mFlat, offset, p.shape()));
            v.add(Params.view(vFlat, offset, p.shape()));
            offset += p.size();
        }
    }

    /**
     * The squared L2 norm of all gradients (call after backward). The gradient handles it reads
     * belong to {@code stepManager} and are reused by {@link #step}, which must follow within the
     * same step.
     */
    public double gradientSquaredNorm(NDManager stepManager) {
        double norm = flatGradient(stepManager).norm().getFloat();
        return norm * norm;
    }

    /**
     * One Adam step on every parameter, then zeroes the gradients. Uses the engine's fused update
     * (one native call per parameter instead of a dozen): it computes w -= c · m / (sqrt(v) + ε'),
     * which with c = lr · sqrt(1 − β2^t) / (1 − β1^t) and ε' = ε · sqrt(1 − β2^t) is exactly
     * PyTorch's w -= lr / (1 − β1^t) · m / (sqrt(v) / sqrt(1 − β2^t) + ε).
     *
     * @param stepManager the manager of the current step, which owns the gradient handles
     */
    public void step(NDManager stepManager) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        float scaledLr = (float) (lr * bc2Sqrt / bc1);
        float scaledEpsilon = (float) (epsilon * bc2Sqrt);
        JniUtils.adamUpdate(
                (PtNDArray) weights,
                (PtNDArray) flatGradient(stepManager),
                (PtNDArray) mFlat,
                (PtNDArray) vFlat,
                lr,
                scaledLr,
                0f,
                1f,
                -1f,
                beta1,
                beta2,
                scaledEpsilon,
                false);
        for (Param p : params) {
            Gradients.zero(p.array());
        }
        gradientsOf = null;
    }

    /**
     * All current gradients in the flat buffer's order, concatenated once per step into the step's
     * manager.
     */
    private NDArray flatGradient(NDManager stepManager) {
        if (gradientsOf != stepManager) {
            NDList parts = new NDList(params.size());
            for (Param p : params) {
                NDArray g = p.array().getGradient();
                g.attach(stepManager);
                parts.add(g.reshape(-1));
            }
            flatGradient = NDArrays.concat(parts);
            gradientsOf = stepManager;
        }
        return flatGradient;
    }

    /** Drops the gradients of a step that will not be applied. */
    public void skip() {
        gradientsOf = null;
        for (Param p : params) {
            Gradients.zero(p.array());
        }
    }

    public long steps() {
        return step;
    }

    public List<NDArray> firstMoments() {
        return m;
    }

    public List<NDArray> secondMoments() {
        return v;
    }

    public void restore(
            long restoredStep, List<float[]> firstMoments, List<float[]> secondMoments) {
        if (firstMoments.size() != params.size() || secondMoments.size() != params.size()) {
            throw new IllegalArgumentException("optimizer state does not match the parameters");
        }
        long offset = 0;
        for (int i = 0; i < params.size(); i++) {
            long size = params.get(i).size();
            if (firstMoments.get(i).length != size || secondMoments.get(i).length != size) {
                throw new IllegalArgumentException(
                        "optimizer state of " + params.get(i).name() + " has the wrong size");
            }
            Params.write(mFlat, offset, firstMoments.get(i));
            Params.write(vFlat, offset, secondMoments.get(i));
            offset += params.get(i).size();
        }
        this.step = restoredStep;
    }
}
