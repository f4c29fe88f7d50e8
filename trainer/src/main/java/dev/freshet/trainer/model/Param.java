package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

    /** Creates the array from {@code values} (row-major) with gradient attached. */
    void create(NDManager manager, float[] values) {
        if (array != null) {
            array.close();
        }
        array = manager.create(values, shape);
        array.setName(name);
        array.setRequiresGradient(true);
    }

    /** Overwrites the values in place (checkpoint restore keeps the same array and its graph). */
    public void set(float[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(
                    name + ": expected " + shape.size() + " values, got " + values.length);
        }
        array().set(values);
    }

    public long size() {
        return shape.size();
    }
}
