package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * One trainable dense tensor of the network: a name that is stable across versions (it keys the
 * checkpoint), its shape and how it is initialized. The array lives in the model's manager with
 * gradient attached.
 */
public final class Param {

    /** How a parameter starts. */
    public enum Init {
        /** Glorot/Xavier uniform over (fan_in, fan_out) = (shape[1], shape[0]). */
        XAVIER,
        ZEROS,
        ONES
    }

    private final String name;
    private final Shape shape;
    private final Init init;
    private NDArray array;
    private NDArray flat;
    private long offset;

    Param(String name, Shape shape, Init init) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = shape;
        this.init = init;
    }

    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    public Init init() {
        return init;
    }

    public NDArray array() {
        if (array == null) {
            throw new IllegalStateException(name + " is not initialized");
        }
        return array;
    }

    /**
     * Makes the array a view of {@code flat} from {@code offset}, with gradient attached: every
     * parameter shares one flat buffer, so the optimizer updates them all in one native call.
     */
    void bind(NDArray flat, long offset) {
        if (array != null) {
            array.close();
        }
        this.flat = flat;
        this.offset = offset;
        array = Params.view(flat, offset, shape);
        array.setName(name);
        array.setRequiresGradient(true);
    }

    /**
     * Overwrites the values in place (checkpoint restore keeps the same array and its graph). The
     * write goes through the flat buffer: DJL's {@code NDArray.set} would give the view new storage
     * and detach it from the buffer the optimizer updates.
     */
    public void set(float[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(
                    name + ": expected " + shape.size() + " values, got " + values.length);
        }
        array();
        Params.write(flat, offset, values);
    }

    public long size() {
        return shape.size();
    }
}
