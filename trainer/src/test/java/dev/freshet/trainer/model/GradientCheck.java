package dev.freshet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.freshet.trainer.engine.TorchRuntime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Checks one block of the network against its float64 reference written in plain Java: the output
 * shape, the float32 output against the float64 one, and DJL's autograd gradients of S = sum(r ⊙
 * out) (r a fixed random weighting) with respect to every parameter and every differentiable input
 * against central finite differences of the reference.
 *
 * <pre>
 * forward:  |djl - ref| <= 1e-5 + 1e-4 |ref|
 * gradient: |djl - fd|  <= 1e-4 + 1e-3 |fd|,   fd = (S(x + h) - S(x - h)) / 2h,  h = 1e-6
 * </pre>
 *
 * Finite differences are wrong at ReLU's kink, so the reference reports its pre-activations through
 * {@link Kinks} and the check refuses inputs with one closer than 1e-3 to 0 (pick another seed).
 */
final class GradientCheck {

    static final double H = 1e-6;
    static final double FORWARD_ABS = 1e-5;
    static final double FORWARD_REL = 1e-4;
    static final double GRADIENT_ABS = 1e-4;
    static final double GRADIENT_REL = 1e-3;
    static final double KINK_MARGIN = 1e-3;

    private static final long WEIGHTING_SEED = 20240917L;

    private GradientCheck() {}

    /** A float64 forward pass of a block, reading parameters and inputs by name. */
    @FunctionalInterface
    interface Reference {
        double[] forward(Values values, Kinks kinks);
    }

    /**
     * The named float64 values a reference reads: parameters by their checkpoint name, inputs by
     * the name the test gave them. Remembers which names were read, so a parameter the reference
     * forgot fails the check instead of passing unexamined.
     */
    static final class Values {
        private final Map<String, double[]> values;
        private final Set<String> read;

        Values(Map<String, double[]> values) {
            this(values, new HashSet<>());
        }

        private Values(Map<String, double[]> values, Set<String> read) {
            this.values = values;
            this.read = read;
        }

        double[] get(String name) {
            double[] v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no value named " + name + ": " + names());
            }
            read.add(name);
            return v;
        }

        Set<String> names() {
            return values.keySet();
        }

        /** A copy in which {@code name} is replaced by {@code value}. */
        Values with(String name, double[] value) {
            Map<String, double[]> copy = new LinkedHashMap<>(values);
            copy.put(name, value);
            return new Values(copy, new HashSet<>());
        }
    }

    /** The pre-activation nearest to ReLU's kink seen during one reference forward. */
    static final class Kinks {
        private double nearest = Double.POSITIVE_INFINITY;

        void see(double preActivation) {
            nearest = Math.min(nearest, Math.abs(preActivation));
        }

        double nearest() {
            return nearest;
        }
    }

    /** Central differences of {@code f} at {@code x}, one coordinate at a time. */
    static double[] centralDifferences(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] gradient = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            gradient[i] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
        }
        return gradient;
    }

    /**
     * Fails, naming {@code what} and every offending index, unless |actual - expected| is small.
     */
    static void assertClose(
            String what, float[] actual, double[] expected, double abs, double rel) {
        assertThat(actual).as(what + ": element count").hasSize(expected.length);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            double bound = abs + rel * Math.abs(expected[i]);
            double diff = Math.abs(actual[i] - expected[i]);
            if (!(diff <= bound)) {
                mismatches.add(
                        String.format(
                                "  %s[%d]: DJL %.9g, float64 reference %.9g, |diff| %.3g > %.3g",
                                what, i, actual[i], expected[i], diff, bound));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(
                    mismatches.size()
                            + " of "
                            + expected.length
                            + " values of "
                            + what
                            + " differ:\n"
                            + String.join("\n", mismatches));
        }
    }

    static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static float[] uniform(SplittableRandom random, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return v;
    }

    /**
     * Gives the parameters that start as zeros or ones (biases, gains, missing-value defaults)
     * random values, so a dropped bias or a swapped gain shows in the comparison.
     * Xavier-initialized weights keep their initial values.
     */
    static void randomize(Params params, SplittableRandom random) {
        for (Param p : params.all()) {
            int n = Math.toIntExact(p.size());
            switch (p.init()) {
                case XAVIER -> {}
                case ZEROS -> p.set(uniform(random, n, -0.5, 0.5));
                case ONES -> p.set(uniform(random, n, 0.5, 1.5));
            }
        }
    }

    static Check check(String block, Params params) {
        return new Check(block, params);
    }

    /** One block's check: its parameters, its inputs, then {@link #run}. */
    static final class Check {
        private final String block;
        private final Params params;
        private final Map<String, NDArray> inputs = new LinkedHashMap<>();
        private final Set<String> differentiable = new HashSet<>();

        private Check(String block, Params params) {
            this.block = block;
            this.params = params;
        }

        /** An input that takes a gradient (checked like a parameter). */
        Check input(String name, NDArray array) {
            array.setRequiresGradient(true);
            inputs.put(name, array);
            differentiable.add(name);
            return this;
        }

        /** An input that takes no gradient (a mask, a feature the model does not train). */
        Check constant(String name, NDArray array) {
            inputs.put(name, array);
            return this;
        }

        void run(Supplier<NDArray> forward, Shape expectedShape, Reference reference) {
            Map<String, double[]> base = new LinkedHashMap<>();
            Map<String, NDArray> variables = new LinkedHashMap<>();
            for (Param p : params.all()) {
                base.put(p.name(), widen(p.array().toFloatArray()));
                variables.put(p.name(), p.array());
            }
            for (Map.Entry<String, NDArray> e : inputs.entrySet()) {
                if (base.put(e.getKey(), widen(e.getValue().toFloatArray())) != null) {
                    throw new IllegalArgumentException(e.getKey() + " is a parameter's name");
                }
                if (differentiable.contains(e.getKey())) {
                    variables.put(e.getKey(), e.getValue());
                }
            }
            Values values = new Values(base);
            Kinks kinks = new Kinks();
            double[] expected = reference.forward(values, kinks);
            assertThat(kinks.nearest())
                    .as(
                            "%s: a ReLU pre-activation is within %s of 0, where finite"
                                    + " differences are wrong; choose other inputs",
                            block, KINK_MARGIN)
                    .isGreaterThan(KINK_MARGIN);
            assertThat(values.read)
                    .as("%s: parameters and inputs the float64 reference never read", block)
                    .containsExactlyInAnyOrderElementsOf(base.keySet());

            Engine engine = TorchRuntime.engine(1);
            float[] actual;
            float[] weighting;
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray out = forward.get();
                assertThat(out.getShape()).as("%s: output shape", block).isEqualTo(expectedShape);
                actual = out.toFloatArray();
                weighting = uniform(new SplittableRandom(WEIGHTING_SEED), actual.length, -1.0, 1.0);
                NDArray r = out.getManager().create(weighting, out.getShape());
                collector.backward(out.mul(r).sum());
            }
            assertClose(block + " output", actual, expected, FORWARD_ABS, FORWARD_REL);

            double[] r = widen(weighting);
            for (Map.Entry<String, NDArray> e : variables.entrySet()) {
                String name = e.getKey();
                double[] numeric =
                        centralDifferences(
                                x -> dot(r, reference.forward(values.with(name, x), null)),
                                base.get(name),
                                H);
                assertThat(maxAbs(numeric))
                        .as("%s: S does not depend on %s, the check would be vacuous", block, name)
                        .isGreaterThan(GRADIENT_ABS);
                float[] autograd = e.getValue().getGradient().toFloatArray();
                assertClose(block + " dS/d " + name, autograd, numeric, GRADIENT_ABS, GRADIENT_REL);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " != " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
