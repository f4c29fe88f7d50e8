package dev.freshet.reliability.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Threads by name and open files by kind at one moment; two of them (end of warm-up, end of run)
 * say which pool or which directory a growth came from, which a count alone cannot.
 */
record Census(Map<String, Integer> threads, Map<String, Integer> openFiles) {

    static Census of(ProcessProbe probe) throws IOException {
        return new Census(probe.threadsByName(), probe.openFilesByKind());
    }

    /** One group whose count changed. */
    record Change(String group, int before, int after) {}

    static List<Change> changes(Map<String, Integer> before, Map<String, Integer> after) {
        List<Change> out = new ArrayList<>();
        TreeSet<String> groups = new TreeSet<>(before.keySet());
        groups.addAll(after.keySet());
        for (String g : groups) {
            int b = before.getOrDefault(g, 0);
            int a = after.getOrDefault(g, 0);
            if (a != b) {
                out.add(new Change(g, b, a));
            }
        }
        out.sort((x, y) -> Integer.compare(y.after() - y.before(), x.after() - x.before()));
        return out;
    }
}
