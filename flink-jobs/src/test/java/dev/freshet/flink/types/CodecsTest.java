package dev.freshet.flink.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.RawFeatures;
import dev.freshet.features.event.RejectReason;
import dev.freshet.features.sample.Sample;
import dev.freshet.flink.join.LateEngagement;
import dev.freshet.flink.kafka.OutboundRecord;
import dev.freshet.flink.kafka.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Every type the pipeline keeps in state or ships between operators survives serialization. */
class CodecsTest {

    @Test
    void impressionsRoundTripWithMissingDenseValuesAndNullOptionals() throws Exception {
        Map<String, Double> dense = new LinkedHashMap<>();
        dense.put("price", 12.5);
        dense.put("distance_km", null);
        Impression full =
                new Impression(
                        "r1:3",
                        "r1",
                        "u1",
                        "i9",
                        1_732_262_400_123L,
                        3,
                        new RawFeatures(
                                dense,
                                Map.of("tags", List.of("spicy", "noodles"), "city", List.of("bj")),
                                Map.of("user_seq", new float[] {0.013f, -0.2f})));
        assertThat(roundTrip(FreshetTypes.IMPRESSION, full)).isEqualTo(full);
        assertThat(roundTrip(FreshetTypes.IMPRESSION, full).features().dense())
                .containsEntry("distance_km", null);
        Impression bare = Impression.of("x", "y", 5L);
        assertThat(roundTrip(FreshetTypes.IMPRESSION, bare)).isEqualTo(bare);
    }

    @Test
    void samplesEngagementsDeadLettersAndOutboundRecordsRoundTrip() throws Exception {
        Sample s =
                new Sample(
                        "a",
                        "r",
                        null,
                        "i",
                        2,
                        10L,
                        20L,
                        "raw",
                        Map.of("click", 1, "pay", 0),
                        4.0f,
                        Map.of("price", 1.5f),
                        List.of("distance_km"),
                        Map.of("cat", new long[] {7, 9}),
                        Map.of("tags", List.of("x")),
                        Map.of("e", new float[] {1f}));
        assertThat(roundTrip(FreshetTypes.SAMPLE, s)).isEqualTo(s);

        Engagement e = new Engagement("e1", "a", "click", 99L);
        assertThat(roundTrip(FreshetTypes.ENGAGEMENT, e)).isEqualTo(e);
        LateEngagement late = new LateEngagement(e, LateEngagement.AFTER_EMIT);
        assertThat(roundTrip(FreshetTypes.LATE_ENGAGEMENT, late)).isEqualTo(late);

        DeadLetter d =
                DeadLetter.of(
                        RejectReason.OVERSIZED,
                        "too big",
                        "impressions",
                        2,
                        77L,
                        null,
                        "x".repeat(100).getBytes(StandardCharsets.UTF_8),
                        10);
        assertThat(roundTrip(FreshetTypes.DEAD_LETTER, d)).isEqualTo(d);

        OutboundRecord o =
                new OutboundRecord(
                        "samples", new byte[] {1}, new byte[] {2, 3}, 5L, Map.of("h", "v"));
        OutboundRecord back = roundTrip(FreshetTypes.OUTBOUND_RECORD, o);
        assertThat(back.topic()).isEqualTo("samples");
        assertThat(back.value()).containsExactly(2, 3);
        assertThat(back.headers()).containsEntry("h", "v");
    }

    @Test
    void parsedRecordsKeepTheirSourceCoordinatesAndOriginalBytes() throws Exception {
        Parsed<Impression> valid =
                Parsed.valid(
                        Impression.of("a", "r", 1L),
                        "impressions",
                        3,
                        42L,
                        "a".getBytes(StandardCharsets.UTF_8),
                        "{}".getBytes(StandardCharsets.UTF_8));
        Parsed<Impression> back = roundTrip(FreshetTypes.PARSED_IMPRESSION, valid);
        assertThat(back.event()).isEqualTo(valid.event());
        assertThat(back.partition()).isEqualTo(3);
        assertThat(back.offset()).isEqualTo(42L);
        assertThat(back.value()).isEqualTo(valid.value());

        Parsed<Impression> rejected =
                Parsed.rejected(
                        DeadLetter.of(
                                RejectReason.UNPARSEABLE,
                                "x",
                                "impressions",
                                0,
                                1L,
                                null,
                                new byte[] {9},
                                10));
        assertThat(roundTrip(FreshetTypes.PARSED_IMPRESSION, rejected).deadLetter())
                .isEqualTo(rejected.deadLetter());
    }

    @Test
    void aSnapshotRestoresTheSameSerializerAndIsCompatibleWithItself() throws Exception {
        TypeSerializer<Impression> serializer =
                FreshetTypes.IMPRESSION.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<Impression> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<Impression> compat =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compat.isCompatibleAsIs()).isTrue();
    }

    private static <T> T roundTrip(TypeInformation<T> type, T value) throws Exception {
        TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left over").isZero();
        return back;
    }
}
