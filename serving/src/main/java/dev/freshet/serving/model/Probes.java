package dev.freshet.serving.model;

import dev.freshet.features.sample.Sample;
import java.util.List;
import java.util.Map;

/** Warm-up input for a version without a recorded probe set. */
final class Probes {

    private Probes() {}

    /** A sample with every feature absent: every dense value missing, every sparse field empty. */
    static Sample blank(String specVersion) {
        return new Sample(
                "warm-up",
                "warm-up",
                null,
                null,
                null,
                0,
                0,
                specVersion,
                Map.of(),
                1f,
                Map.of(),
                List.of(),
                Map.of(),
                Map.of(),
                Map.of());
    }
}
