package dev.freshet.flink.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.RawFeatures;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class JoinKeyStateCodecTest {

    private final JoinKeyStateCodec codec = new JoinKeyStateCodec();
    private final ImpressionBytes impressions = new ImpressionBytes();

    @Test
    void roundTripsEachPhase() throws IOException {
        Engagement held = new Engagement("e1", "a", "click", 5L);
        JoinKeyState holding = JoinKeyState.holding(held).hold(new Engagement("e2", "a", "x", 6L));
        JoinKeyState pending = holding.pending(impressions.write(impression()), 3L, 0b101);
        JoinKeyState seen = pending.seen("e3", 0b10);
        JoinKeyState emitted = seen.emitted();

        for (JoinKeyState s : List.of(holding, pending, seen, emitted)) {
            assertThat(roundTrip(s)).as(s.toString()).isEqualTo(s);
        }
        assertThat(emitted.isEmitted()).isTrue();
        assertThat(emitted.emittedAt()).isEqualTo(3L);
        assertThat(emitted.labelBits()).isEqualTo(0b111);
        assertThat(emitted.seenIds()).containsExactly("e1", "e2", "e3");
        assertThat(emitted.impression()).isNull();
        assertThat(roundTrip(pending).held()).isEmpty();
    }

    @Test
    void theStoredImpressionReadsBackEqual() {
        Impression imp = impression();
        assertThat(impressions.read(impressions.write(imp))).isEqualTo(imp);
        // The buffers are reused: a second, different impression must not see the first.
        Impression bare = Impression.of("b", "rb", 9L);
        assertThat(impressions.read(impressions.write(bare))).isEqualTo(bare);
    }

    private JoinKeyState roundTrip(JoinKeyState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        codec.write(s, out);
        JoinKeyState back = codec.read(new DataInputDeserializer(out.getCopyOfBuffer()));
        return back;
    }

    private static Impression impression() {
        Map<String, Double> dense = new LinkedHashMap<>();
        dense.put("price", 12.5);
        dense.put("distance_km", null);
        return new Impression(
                "a",
                "req-a",
                "u1",
                null,
                3L,
                2,
                new RawFeatures(
                        dense,
                        Map.of("tags", List.of("spicy", "noodles")),
                        Map.of("vec", new float[] {0.5f, -1f})));
    }
}
