package dev.freshet.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * <p>Every temporary of an update is created in a sub-manager closed after each parameter, so
 * native memory stays flat however long training runs.
 */
public final class DenseAdam {

    private final List<Param> params;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final NDManager manager;
    private long step;

    public DenseAdam(
            NDManager manager,
            List<Param> params,
            double lr,
            double beta1,
            double beta2,
            double epsilon) {
        this.manager = manager;
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

    /** The squared L2 norm of all gradients (they must exist: call after backward). */
    public double gradientSquaredNorm() {
        double sum = 0;
        try (NDManager scratch = manager.newSubManager()) {
            for (Param p : params) {
                NDArray g = p.array().getGradient();
                g.attach(scratch);
                sum += g.square().sum().getFloat();
            }
        }
        return sum;
    }

    /** One Adam step on every parameter, then zeroes the gradients. */
    public void step() {
        step++;
        float bc1 = (float) (1 - Math.pow(beta1, step));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float stepSize = lr / bc1;
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).array();
            try (NDManager scratch = manager.newSubManager()) {
                NDArray g = w.getGradient();
                g.attach(scratch);
                m.get(i).muli(beta1).addi(g.mul(1 - beta1));
                v.get(i).muli(beta2).addi(g.square().muli(1 - beta2));
                NDArray denom = v.get(i).sqrt();
                denom.attach(scratch);
                denom.divi(bc2Sqrt).addi(epsilon);
                NDArray update = m.get(i).div(denom);
                update.attach(scratch);
                w.subi(update.muli(stepSize));
            }
            Gradients.zero(w);
        }
    }

    /** Drops the gradients of a step that will not be applied. */
    public void skip() {
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
