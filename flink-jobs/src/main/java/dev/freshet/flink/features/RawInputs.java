package dev.freshet.flink.features;

import dev.freshet.features.event.RawFeatures;
import dev.freshet.features.sample.Sample;
import java.util.LinkedHashMap;
import java.util.Map;

/** The raw features a raw-spec sample carries, back in the form the fitter and transform take. */
final class RawInputs {

    private RawInputs() {}

    static RawFeatures of(Sample raw) {
        Map<String, Double> dense = new LinkedHashMap<>();
        raw.dense().forEach((k, v) -> dense.put(k, v.doubleValue()));
        raw.denseMissing().forEach(k -> dense.put(k, null));
        return new RawFeatures(dense, raw.sparseRaw(), raw.embeddings());
    }
}
