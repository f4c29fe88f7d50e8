package dev.freshet.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check of the stability gate: its name, verdict, the numbers it judged and the thresholds it
 * judged them by (all recorded in the manifest, so a verdict can be audited), and a sentence.
 */
public record CheckResult(String name, Verdict verdict, Map<String, Object> inputs, String detail) {

    public enum Verdict {
        PASS,
        FAIL,
        /** Not enough data to judge (no published model yet, too few samples): does not block. */
        SKIPPED
    }

    public CheckResult {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    public boolean blocks() {
        return verdict == Verdict.FAIL;
    }

    public static CheckResult of(
            String name, boolean passed, Map<String, Object> inputs, String detail) {
        return new CheckResult(name, passed ? Verdict.PASS : Verdict.FAIL, inputs, detail);
    }
}
