package dev.freshet.flink.join;

import dev.freshet.features.event.Impression;
import dev.freshet.features.sample.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the sample of a joined impression with its features carried through untransformed, under
 * spec version {@link Sample#RAW_SPEC}. This is the documented placeholder the feature-processing
 * stage replaces: it does no bucketing or hashing.
 */
final class RawSamples {

    private RawSamples() {}

    static Sample of(Impression imp, Map<String, Integer> labels, float weight, long emitTime) {
        Map<String, Float> dense = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        imp.features()
                .dense()
                .forEach(
                        (name, value) -> {
                            if (value == null) {
                                missing.add(name);
                            } else {
                                dense.put(name, value.floatValue());
                            }
                        });
        return new Sample(
                imp.impressionId(),
                imp.requestId(),
                imp.userId(),
                imp.itemId(),
                imp.position(),
                imp.eventTime(),
                emitTime,
                Sample.RAW_SPEC,
                labels,
                weight,
                dense,
                missing,
                Map.of(),
                imp.features().sparse(),
                imp.features().embeddings());
    }
}
