package dev.freshet.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.freshet.trainer.engine.Gradients;
import dev.freshet.trainer.model.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam for the network's dense parameters, PyTorch's formula (bias-corrected moments, ε added after
 * the square root), with its moments and step count exposed so a checkpoint holds them: DJL's own
 * Adam keeps them private and {@code Model.save} drops them, which would make a resumed run diverge
 * from an uninterrupted one.
 *
 * <p>Gradient handles are attached to the step's manager and freed with it, so native memory stays
 * flat however long training runs.
 */
public final class DenseAdam {

    private final List<Param> params;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private long step;
    private final List<NDArray> gradients = new ArrayList<>();
    private NDManager gradientsOf;

    public DenseAdam(
            NDManager manager,
            List<Param> params,
            double lr,
            double beta1,
            double beta2,
            double epsilon) {
        this.params = List.copyOf(params);
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        for (Param p : params) {
            m.add(manager.zeros(p.shape()));
            v.add(manager.zeros(p.shape()));
        }
    }

    /**
     * The squared L2 norm of all gradients (call after backward). The gradient handles it reads
     * belong to {@code stepManager} and are reused by {@link #step}, which must follow within the
     * same step.
     */
    public double gradientSquaredNorm(NDManager stepManager) {
        NDList norms = new NDList(params.size());
        for (NDArray g : gradients(stepManager)) {
            norms.add(g.norm());
        }
        // One reduction and one read for all parameters instead of a sync per parameter.
        return NDArrays.stack(norms).square().sum().getFloat();
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
        List<NDArray> grads = gradients(stepManager);
        for (int i = 0; i < params.size(); i++) {
            PtNDArray w = (PtNDArray) params.get(i).array();
            JniUtils.adamUpdate(
                    w,
                    (PtNDArray) grads.get(i),
                    (PtNDArray) m.get(i),
                    (PtNDArray) v.get(i),
                    lr,
                    scaledLr,
                    0f,
                    1f,
                    -1f,
                    beta1,
                    beta2,
                    scaledEpsilon,
                    false);
            Gradients.zero(w);
        }
        gradientsOf = null;
    }

    /** Handles on the current gradients, fetched once per step into the step's manager. */
    private List<NDArray> gradients(NDManager stepManager) {
        if (gradientsOf != stepManager) {
            gradients.clear();
            for (Param p : params) {
                NDArray g = p.array().getGradient();
                g.attach(stepManager);
                gradients.add(g);
            }
            gradientsOf = stepManager;
        }
        return gradients;
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
        for (int i = 0; i < params.size(); i++) {
            m.get(i).set(firstMoments.get(i));
            v.get(i).set(secondMoments.get(i));
        }
        this.step = restoredStep;
    }
}
