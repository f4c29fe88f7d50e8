package dev.freshet.trainer.model;

import dev.freshet.trainer.model.GradientCheck.Kinks;
import dev.freshet.trainer.model.GradientCheck.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The network's blocks in plain Java and float64, written from the math in each class's javadoc (no
 * DJL). Matrices are row-major {@code double[]}: a batch of {@code rows} samples of width {@code d}
 * is {@code x[i * d + j]}. Parameters are read by their checkpoint names, in PyTorch's layout
 * (Linear weight [out, in]).
 */
final class Float64Reference {

    /**
     * LayerNorm's ε (PyTorch's default), stated here rather than read from the class under test.
     */
    static final double LAYER_NORM_EPSILON = 1e-5;

    /** L2Normalize's ε. */
    static final double L2_EPSILON = 1e-12;

    private Float64Reference() {}

    // ---- primitives ----

    /** y = x W^T + b, W [out, in], b [out] or null. */
    static double[] linear(double[] x, int rows, int in, double[] w, int out, double[] b) {
        check(x, rows * in, "linear input");
        check(w, out * in, "linear weight");
        double[] y = new double[rows * out];
        for (int i = 0; i < rows; i++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int k = 0; k < in; k++) {
                    s += x[i * in + k] * w[o * in + k];
                }
                y[i * out + o] = s;
            }
        }
        return y;
    }

    /** max(z, 0), reporting every pre-activation to {@code kinks} (null: not tracked). */
    static double[] relu(double[] z, Kinks kinks) {
        double[] y = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            if (kinks != null) {
                kinks.see(z[i]);
            }
            y[i] = Math.max(z[i], 0);
        }
        return y;
    }

    static double[] times(double[] a, double[] b) {
        check(b, a.length, "element-wise product");
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] * b[i];
        }
        return y;
    }

    static double[] plus(double[] a, double[] b) {
        check(b, a.length, "element-wise sum");
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    /** Per row: (x - mean) / sqrt(biased variance + eps) * gain + bias. */
    static double[] layerNorm(
            double[] x, int rows, int d, double[] gain, double[] bias, double eps) {
        check(x, rows * d, "layer norm input");
        double[] y = new double[x.length];
        for (int i = 0; i < rows; i++) {
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += x[i * d + j];
            }
            mean /= d;
            double variance = 0;
            for (int j = 0; j < d; j++) {
                double c = x[i * d + j] - mean;
                variance += c * c;
            }
            variance /= d;
            double inv = 1 / Math.sqrt(variance + eps);
            for (int j = 0; j < d; j++) {
                y[i * d + j] = (x[i * d + j] - mean) * inv * gain[j] + bias[j];
            }
        }
        return y;
    }

    /** Per row of width d: x / sqrt(||x||² + eps). */
    /** Σ_{i<j} e_i ⊙ e_j over the F fields of each sample, pair by pair: [B, F, d] → [B, d]. */
    static double[] biInteraction(double[] e, int b, int f, int d) {
        check(e, b * f * d, "Bi-Interaction input");
        double[] y = new double[b * d];
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < f; i++) {
                for (int j = i + 1; j < f; j++) {
                    for (int k = 0; k < d; k++) {
                        y[s * d + k] += e[(s * f + i) * d + k] * e[(s * f + j) * d + k];
                    }
                }
            }
        }
        return y;
    }

    static double[] l2Normalize(double[] x, int rows, int d, double eps) {
        check(x, rows * d, "L2 input");
        double[] y = new double[x.length];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * x[i * d + j];
            }
            double norm = Math.sqrt(s + eps);
            for (int j = 0; j < d; j++) {
                y[i * d + j] = x[i * d + j] / norm;
            }
        }
        return y;
    }

    /** Columns [from, to) of a [rows, width] matrix. */
    static double[] columns(double[] x, int rows, int width, int from, int to) {
        check(x, rows * width, "column slice");
        double[] y = new double[rows * (to - from)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, i * width + from, y, i * (to - from), to - from);
        }
        return y;
    }

    /** Concatenation along the feature axis of [rows, widths[p]] matrices. */
    static double[] concat(int rows, List<double[]> parts, List<Integer> widths) {
        int total = widths.stream().mapToInt(Integer::intValue).sum();
        double[] y = new double[rows * total];
        for (int i = 0; i < rows; i++) {
            int at = i * total;
            for (int p = 0; p < parts.size(); p++) {
                int w = widths.get(p);
                check(parts.get(p), rows * w, "concat part " + p);
                System.arraycopy(parts.get(p), i * w, y, at, w);
                at += w;
            }
        }
        return y;
    }

    // ---- blocks ----

    /** MissingValueLayer: x' = x (1 - m) + m δ, δ = missing.default. */
    static double[] missingValue(Values v, double[] x, double[] m, int rows, int d) {
        double[] delta = v.get("missing.default");
        double[] y = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                int at = i * d + j;
                y[at] = x[at] * (1 - m[at]) + m[at] * delta[j];
            }
        }
        return y;
    }

    /**
     * CrossLayer: x_{l+1} = x0 ⊙ (W x_l + b) + x_l; full rank W [n, n] when rank is 0, else W x = U
     * ReLU(V x) with V [rank, n] and U [n, rank].
     */
    static double[] crossLayer(
            Values v,
            String name,
            double[] x0,
            double[] xl,
            int rows,
            int n,
            int rank,
            Kinks kinks) {
        double[] mixed;
        if (rank <= 0) {
            mixed = linear(xl, rows, n, v.get(name + ".weight"), n, v.get(name + ".bias"));
        } else {
            double[] down = linear(xl, rows, n, v.get(name + ".v.weight"), rank, null);
            mixed =
                    linear(
                            relu(down, kinks),
                            rows,
                            rank,
                            v.get(name + ".u.weight"),
                            n,
                            v.get(name + ".u.bias"));
        }
        return plus(times(x0, mixed), xl);
    }

    /** CrossNetwork: layers name.0 .. name.(layers-1), each with the network's input as x0. */
    static double[] crossNetwork(
            Values v, String name, double[] x0, int rows, int n, int layers, int rank, Kinks k) {
        double[] x = x0;
        for (int l = 0; l < layers; l++) {
            x = crossLayer(v, name + "." + l, x0, x, rows, n, rank, k);
        }
        return x;
    }

    /** LayerNorm with the parameters name.gain and name.bias. */
    static double[] layerNorm(Values v, String name, double[] x, int rows, int d) {
        return layerNorm(
                x, rows, d, v.get(name + ".gain"), v.get(name + ".bias"), LAYER_NORM_EPSILON);
    }

    /**
     * MaskBlock: mask = P ReLU(A x0 + a) + p (n → width → n), out = ReLU(LN(W (mask ⊙ LN(x0)))), W
     * without bias.
     */
    static double[] maskBlock(
            Values v, String name, double[] x0, int rows, int n, int width, int out, Kinks k) {
        double[] normalized = layerNorm(v, name + ".embedding_norm", x0, rows, n);
        return maskBlockOn(v, name, x0, normalized, rows, n, n, width, out, k);
    }

    /**
     * MaskBlock on an in-wide input h (x0 normalized, or a previous block's output): mask = P
     * ReLU(A x0 + a) + p (n → width → in), out = ReLU(LN(W (mask ⊙ h))), W without bias.
     */
    static double[] maskBlockOn(
            Values v,
            String name,
            double[] x0,
            double[] h,
            int rows,
            int n,
            int in,
            int width,
            int out,
            Kinks k) {
        double[] aggregated =
                linear(
                        x0,
                        rows,
                        n,
                        v.get(name + ".mask.aggregate.weight"),
                        width,
                        v.get(name + ".mask.aggregate.bias"));
        double[] mask =
                linear(
                        relu(aggregated, k),
                        rows,
                        width,
                        v.get(name + ".mask.project.weight"),
                        in,
                        v.get(name + ".mask.project.bias"));
        double[] masked = times(h, mask);
        double[] hidden = linear(masked, rows, in, v.get(name + ".hidden.weight"), out, null);
        return relu(layerNorm(v, name + ".hidden_norm", hidden, rows, out), k);
    }

    /**
     * SequentialMaskNet: masknet.0 on x0 (mask width n·ratio), then masknet.1 .. on the previous
     * block's output, each masked from x0 (mask width out·ratio), then full-rank cross layers
     * masknet.cross.* with the last output as their x0.
     */
    static double[] sequentialMaskNet(
            Values v,
            double[] x0,
            int rows,
            int n,
            int blocks,
            double ratio,
            int out,
            int crossLayers,
            Kinks k) {
        double[] h = maskBlock(v, "masknet.0", x0, rows, n, maskWidth(n, ratio), out, k);
        for (int b = 1; b < blocks; b++) {
            h = maskBlockOn(v, "masknet." + b, x0, h, rows, n, out, maskWidth(out, ratio), out, k);
        }
        return crossNetwork(v, "masknet.cross", h, rows, out, crossLayers, 0, k);
    }

    /** The mask generator's hidden width: round(ratio · the masked width), at least 1. */
    static int maskWidth(int masked, double ratio) {
        return (int) Math.max(1, Math.round(masked * ratio));
    }

    /** ParallelCrossNetwork: full-rank stacks cross.0 .. cross.(stacks-1) on x0, concatenated. */
    static double[] parallelCrossNetwork(
            Values v, double[] x0, int rows, int n, int stacks, int layers, Kinks k) {
        List<double[]> parts = new ArrayList<>();
        for (int p = 0; p < stacks; p++) {
            parts.add(crossNetwork(v, "cross." + p, x0, rows, n, layers, 0, k));
        }
        return concat(rows, parts, Collections.nCopies(stacks, n));
    }

    /**
     * ParallelMaskNet: blocks masknet.0 .. masknet.(blocks-1) on x0, concatenated, then full-rank
     * cross layers masknet.cross.* with the concatenation as their x0.
     */
    static double[] parallelMaskNet(
            Values v,
            double[] x0,
            int rows,
            int n,
            int blocks,
            int width,
            int out,
            int crossLayers,
            Kinks k) {
        List<double[]> parts = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            parts.add(maskBlock(v, "masknet." + b, x0, rows, n, width, out, k));
            widths.add(out);
        }
        double[] joined = concat(rows, parts, widths);
        return crossNetwork(v, "masknet.cross", joined, rows, out * blocks, crossLayers, 0, k);
    }

    /**
     * UserInterest over [B, L, d] rows e with [B, L] mask m (and [B, d] target t for attention),
     * element by element over the positions with m = 1 only:
     *
     * <pre>
     * average    Σ e_l / n
     * max        max_l e_lj (reporting the gap between the two largest to kinks, where max has one)
     * attention  s_l = w2 · ReLU(W1 [e_l, t, e_l ⊙ t, e_l − t] + b1),
     *            a = exp(s_l − max s) / Σ exp(s − max s),   Σ a_l e_l
     * </pre>
     */
    static double[] userInterest(
            Values v,
            String pooling,
            double[] e,
            double[] m,
            double[] t,
            int b,
            int length,
            int d,
            int hidden,
            Kinks k) {
        check(e, b * length * d, "sequence");
        check(m, b * length, "sequence mask");
        double[] u = new double[b * d];
        for (int s = 0; s < b; s++) {
            List<Integer> at = new ArrayList<>();
            for (int l = 0; l < length; l++) {
                if (m[s * length + l] == 1) {
                    at.add((s * length + l) * d);
                }
            }
            double[] weights = new double[at.size()];
            switch (pooling) {
                case "average" -> java.util.Arrays.fill(weights, 1.0 / at.size());
                case "max" -> {
                    for (int j = 0; j < d; j++) {
                        double best = Double.NEGATIVE_INFINITY;
                        double second = Double.NEGATIVE_INFINITY;
                        for (int row : at) {
                            double x = e[row + j];
                            if (x > best) {
                                second = best;
                                best = x;
                            } else if (x > second) {
                                second = x;
                            }
                        }
                        if (k != null && at.size() > 1) {
                            k.see(best - second);
                        }
                        u[s * d + j] = best;
                    }
                    continue;
                }
                case "attention" -> {
                    check(t, b * d, "target");
                    double[] scores = new double[at.size()];
                    double top = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < at.size(); i++) {
                        double[] in = new double[4 * d];
                        for (int j = 0; j < d; j++) {
                            double x = e[at.get(i) + j];
                            double y = t[s * d + j];
                            in[j] = x;
                            in[d + j] = y;
                            in[2 * d + j] = x * y;
                            in[3 * d + j] = x - y;
                        }
                        double[] h =
                                relu(
                                        linear(
                                                in,
                                                1,
                                                4 * d,
                                                v.get("interest.attention.hidden.weight"),
                                                hidden,
                                                v.get("interest.attention.hidden.bias")),
                                        k);
                        scores[i] =
                                linear(
                                        h,
                                        1,
                                        hidden,
                                        v.get("interest.attention.score.weight"),
                                        1,
                                        null)[0];
                        top = Math.max(top, scores[i]);
                    }
                    double sum = 0;
                    for (int i = 0; i < at.size(); i++) {
                        weights[i] = Math.exp(scores[i] - top);
                        sum += weights[i];
                    }
                    for (int i = 0; i < at.size(); i++) {
                        weights[i] /= sum;
                    }
                }
                default -> throw new IllegalArgumentException(pooling);
            }
            for (int i = 0; i < at.size(); i++) {
                for (int j = 0; j < d; j++) {
                    u[s * d + j] += weights[i] * e[at.get(i) + j];
                }
            }
        }
        return u;
    }

    /** Mlp: h = ReLU(W_i h + b_i) per hidden width (mlp.i), then logits = W h + b. */
    static double[] mlp(
            Values v, double[] x, int rows, int in, List<Integer> widths, int tasks, Kinks k) {
        double[] h = x;
        int width = in;
        for (int i = 0; i < widths.size(); i++) {
            int next = widths.get(i);
            h =
                    relu(
                            linear(
                                    h,
                                    rows,
                                    width,
                                    v.get("mlp." + i + ".weight"),
                                    next,
                                    v.get("mlp." + i + ".bias")),
                            k);
            width = next;
        }
        return linear(h, rows, width, v.get("logits.weight"), tasks, v.get("logits.bias"));
    }

    private static void check(double[] x, int expected, String what) {
        if (x.length != expected) {
            throw new IllegalArgumentException(
                    what + ": expected " + expected + " values, got " + x.length);
        }
    }
}
