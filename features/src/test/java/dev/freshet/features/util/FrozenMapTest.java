package dev.freshet.features.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.features.event.RawFeatures;
import dev.freshet.features.sample.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrozenMapTest {

    @Test
    void copiesAMutableMapInOrderWithNullValues() {
        Map<String, Double> source = new LinkedHashMap<>();
        source.put("b", 2.0);
        source.put("a", null);
        FrozenMap<String, Double> frozen = FrozenMap.copyOf(source);
        source.put("c", 3.0);

        assertThat(frozen).containsExactly(Map.entry("b", 2.0), entryWithNull("a"));
        assertThatThrownBy(() -> frozen.put("d", 1.0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.entrySet().iterator().next().setValue(1.0))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sharesAMapThatIsAlreadyFrozen() {
        FrozenMap<String, Integer> once = FrozenMap.copyOf(Map.of("x", 1));
        assertThat(FrozenMap.copyOf(once)).isSameAs(once);
    }

    @Test
    void equalsAndHashesLikeAnyMapWithTheSameEntries() {
        Map<String, Integer> plain = new LinkedHashMap<>(Map.of("x", 1, "y", 2));
        FrozenMap<String, Integer> frozen = FrozenMap.copyOf(plain);
        assertThat(frozen).isEqualTo(plain);
        assertThat(plain).isEqualTo(frozen);
        assertThat(frozen.hashCode()).isEqualTo(plain.hashCode());
    }

    @Test
    void aSampleCopiesCallerMapsButSharesFrozenOnes() {
        Map<String, Integer> labels = new LinkedHashMap<>(Map.of("click", 1));
        RawFeatures features =
                new RawFeatures(
                        Map.of("price", 1.0),
                        Map.of("tags", List.of("a")),
                        Map.of("vec", new float[] {1f}));
        Sample s =
                new Sample(
                        "i",
                        "r",
                        null,
                        null,
                        null,
                        1L,
                        2L,
                        Sample.RAW_SPEC,
                        labels,
                        1f,
                        Map.of(),
                        List.of(),
                        Map.of(),
                        features.sparse(),
                        features.embeddings());
        labels.put("click", 0);

        assertThat(s.labels()).containsExactly(Map.entry("click", 1));
        assertThat(s.sparseRaw()).isSameAs(features.sparse());
        assertThat(s.embeddings()).isSameAs(features.embeddings());
        assertThat(s.withWeight(2f).labels()).isSameAs(s.labels());
    }

    private static Map.Entry<String, Double> entryWithNull(String key) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(key, null);
        return m.entrySet().iterator().next();
    }
}
