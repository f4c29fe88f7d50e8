package dev.freshet.flink.join;

import dev.freshet.features.util.FrozenMap;
import dev.freshet.flink.config.TaskWindows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a sample's label bits into its {@code task -> 0/1} map, in task order. With few tasks every
 * combination is built once and shared by all samples (the maps are frozen, so {@code Sample} takes
 * them without copying); with many, each call builds one.
 */
final class LabelSets {

    /** 2^10 shared maps at most. */
    private static final int MAX_CACHED_TASKS = 10;

    private final List<String> tasks;
    private final Map<String, Integer>[] cache;

    @SuppressWarnings("unchecked")
    LabelSets(TaskWindows windows) {
        this.tasks = windows.tasks();
        if (tasks.size() > Integer.SIZE - 1) {
            throw new IllegalArgumentException(
                    "at most " + (Integer.SIZE - 1) + " tasks fit the join's label bits");
        }
        if (tasks.size() <= MAX_CACHED_TASKS) {
            cache = new Map[1 << tasks.size()];
            for (int bits = 0; bits < cache.length; bits++) {
                cache[bits] = build(bits);
            }
        } else {
            cache = null;
        }
    }

    /** The bit of {@code task}, a name from {@code TaskWindows.tasks()}. */
    int bitOf(String task) {
        return 1 << tasks.indexOf(task);
    }

    Map<String, Integer> labels(int bits) {
        return cache != null ? cache[bits] : build(bits);
    }

    private Map<String, Integer> build(int bits) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            labels.put(tasks.get(i), (bits >>> i) & 1);
        }
        return FrozenMap.copyOf(labels);
    }
}
