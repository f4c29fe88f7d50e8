package dev.freshet.trainer.service;

import dev.freshet.manifest.Manifest;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a checkpoint stands in the stream: the next offset per partition and the sample counts up
 * to there, the event-time range trained on, the spec, and the published version it descends from.
 * Saved with every local checkpoint ({@code position.json}).
 */
record Position(
        long sequence,
        Map<Integer, Long> offsets,
        Manifest.Counts counts,
        Long minEventTime,
        Long maxEventTime,
        String specVersion,
        Long publishedParent,
        Manifest.Counts countsAtParent) {

    Position {
        offsets = new TreeMap<>(offsets);
    }

    static Position genesis(String specVersion) {
        return new Position(
                0,
                Map.of(),
                Manifest.Counts.ZERO,
                null,
                null,
                specVersion,
                null,
                Manifest.Counts.ZERO);
    }
}
