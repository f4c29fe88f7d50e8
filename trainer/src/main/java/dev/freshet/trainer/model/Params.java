package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
    private NDArray flat;
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

    /**
     * Creates every parameter as a view of one flat buffer, in declaration order. The values are
     * drawn per parameter exactly as before, so initialization does not depend on the layout.
     */
    public void initialize(NDManager manager, SplittableRandom random) {
        float[] all = new float[Math.toIntExact(count())];
        int at = 0;
        for (Param p : params) {
            float[] v = values(p, random.split());
            System.arraycopy(v, 0, all, at, v.length);
            at += v.length;
        }
        if (flat != null) {
            flat.close();
        }
        flat = manager.create(all);
        long offset = 0;
        for (Param p : params) {
            p.bind(flat, offset);
            offset += p.size();
        }
    }

    /** All parameters' values in declaration order, one 1-D array the parameters are views of. */
    public NDArray flat() {
        if (flat == null) {
            throw new IllegalStateException("parameters are not initialized");
        }
        return flat;
    }

    /** A view of {@code flat}'s elements [offset, offset + shape.size()) in the given shape. */
    public static NDArray view(NDArray flat, long offset, Shape shape) {
        return flat.get(new NDIndex().addSliceDim(offset, offset + shape.size())).reshape(shape);
    }

    /** Writes values into {@code flat} from {@code offset}, in place (views see the change). */
    public static void write(NDArray flat, long offset, float[] values) {
        try (NDArray v = flat.getManager().create(values)) {
            flat.set(new NDIndex().addSliceDim(offset, offset + values.length), v);
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
