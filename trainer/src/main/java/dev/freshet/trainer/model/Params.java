package dev.freshet.trainer.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The ordered set of a network's dense parameters. Layers declare parameters while the network is
 * built; {@link #initialize} then creates them all from one seeded Java RNG, in declaration order,
 * so initialization is bit-identical across runs, machines and engines (PyTorch's own RNG is never
 * used).
 */
public final class Params {

    private final List<Param> params = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public Param declare(String name, Shape shape, Param.Init init) {
        if (!names.add(name)) {
            throw new IllegalStateException("parameter " + name + " declared twice");
        }
        Param p = new Param(name, shape, init);
        params.add(p);
        return p;
    }

    public List<Param> all() {
        return Collections.unmodifiableList(params);
    }

    public long count() {
        return params.stream().mapToLong(Param::size).sum();
    }

    public void initialize(NDManager manager, SplittableRandom random) {
        for (Param p : params) {
            p.create(manager, values(p, random.split()));
        }
    }

    private static float[] values(Param p, SplittableRandom random) {
        float[] v = new float[Math.toIntExact(p.size())];
        switch (p.init()) {
            case ZEROS -> {}
            case ONES -> java.util.Arrays.fill(v, 1f);
            case XAVIER -> {
                long fanOut = p.shape().get(0);
                long fanIn = p.shape().dimension() > 1 ? p.shape().get(1) : 1;
                double bound = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            }
        }
        return v;
    }
}
