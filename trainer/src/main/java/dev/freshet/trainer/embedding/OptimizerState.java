package dev.freshet.trainer.embedding;

import java.util.Map;

/** Checks optimizer state read back from a checkpoint before it replaces the live arrays. */
final class OptimizerState {

    private OptimizerState() {}

    static float[] floats(Map<String, Object> state, String key, int length) {
        if (!(state.get(key) instanceof float[] a) || a.length != length) {
            throw new IllegalArgumentException(
                    "optimizer state " + key + ": expected " + length + " floats");
        }
        return a;
    }

    static int[] ints(Map<String, Object> state, String key, int length) {
        if (!(state.get(key) instanceof int[] a) || a.length != length) {
            throw new IllegalArgumentException(
                    "optimizer state " + key + ": expected " + length + " ints");
        }
        return a;
    }
}
