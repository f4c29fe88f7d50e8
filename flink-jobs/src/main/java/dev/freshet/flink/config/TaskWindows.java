package dev.freshet.flink.config;

import dev.freshet.features.config.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks the model learns, each with its attribution window, and which engagement types feed
 * which task. An engagement counts for a task only if its time falls within the window after its
 * impression.
 */
public final class TaskWindows implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final TaskWindows DEFAULTS =
            new TaskWindows(
                    ordered(
                            "click", Duration.ofMinutes(10),
                            "save", Duration.ofMinutes(30),
                            "hide", Duration.ofMinutes(30),
                            "pay", Duration.ofHours(2)),
                    Map.of());

    private final LinkedHashMap<String, Long> windowMillis;
    private final Map<String, String> typeToTask;
    private final long maxWindowMillis;

    /** The most tasks one pipeline labels. */
    public static final int MAX_TASKS = Integer.SIZE - 1;

    /**
     * @param windows task name -> attribution window, in the order the labels are reported
     * @param typeAliases extra engagement type -> task mappings; every task name maps to itself
     */
    public TaskWindows(Map<String, Duration> windows, Map<String, String> typeAliases) {
        if (windows.isEmpty()) {
            throw new ConfigException("tasks: at least one task is required");
        }
        if (windows.size() > MAX_TASKS) {
            // The join keeps a sample's labels as bits of one int (LabelJoinFunction).
            throw new ConfigException(
                    "tasks: at most " + MAX_TASKS + " tasks, got " + windows.size());
        }
        this.windowMillis = new LinkedHashMap<>();
        long max = 0;
        for (Map.Entry<String, Duration> e : windows.entrySet()) {
            long ms = e.getValue().toMillis();
            if (ms <= 0) {
                throw new ConfigException("tasks." + e.getKey() + ": window must be positive");
            }
            windowMillis.put(e.getKey(), ms);
            max = Math.max(max, ms);
        }
        Map<String, String> types = new LinkedHashMap<>();
        windows.keySet().forEach(t -> types.put(t, t));
        for (Map.Entry<String, String> e : typeAliases.entrySet()) {
            if (!windows.containsKey(e.getValue())) {
                throw new ConfigException(
                        "engagement_types."
                                + e.getKey()
                                + ": unknown task '"
                                + e.getValue()
                                + "' (tasks: "
                                + windows.keySet()
                                + ")");
            }
            types.put(e.getKey(), e.getValue());
        }
        this.typeToTask = Collections.unmodifiableMap(types);
        this.maxWindowMillis = max;
    }

    public List<String> tasks() {
        return List.copyOf(windowMillis.keySet());
    }

    public long windowMillis(String task) {
        return windowMillis.get(task);
    }

    /** The task an engagement type feeds, or null if no task uses it. */
    public String taskOf(String engagementType) {
        return typeToTask.get(engagementType);
    }

    public long maxWindowMillis() {
        return maxWindowMillis;
    }

    public Map<String, String> typeToTask() {
        return typeToTask;
    }

    public static LinkedHashMap<String, Duration> ordered(Object... taskThenWindow) {
        LinkedHashMap<String, Duration> m = new LinkedHashMap<>();
        for (int i = 0; i < taskThenWindow.length; i += 2) {
            m.put((String) taskThenWindow[i], (Duration) taskThenWindow[i + 1]);
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        windowMillis.forEach(
                (t, ms) ->
                        sb.append(sb.length() == 0 ? "" : ", ")
                                .append(t)
                                .append('=')
                                .append(Durations.format(Duration.ofMillis(ms))));
        return sb.toString();
    }
}
