package dev.freshet.features.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class SampleCodecTest {

    private final SampleCodec codec = new SampleCodec();

    static Sample fullSample() {
        Map<String, Integer> labels = new LinkedHashMap<>();
        labels.put("click", 1);
        labels.put("save", 0);
        labels.put("hide", 0);
        labels.put("pay", 1);
        Map<String, Float> dense = new LinkedHashMap<>();
        dense.put("price", 0.25f);
        dense.put("item_ctr_7d", 0.75f);
        Map<String, long[]> sparse = new LinkedHashMap<>();
        sparse.put("category", new long[] {123L, -5L});
        sparse.put("tags", new long[] {1L, Long.MAX_VALUE, Long.MIN_VALUE});
        Map<String, List<String>> sparseRaw = new LinkedHashMap<>();
        sparseRaw.put("city", List.of("北京"));
        sparseRaw.put("tags", List.of("spicy", "noodles"));
        Map<String, float[]> embeddings = new LinkedHashMap<>();
        embeddings.put("user_seq", new float[] {0.013f, -0.2f, Float.MIN_VALUE});
        embeddings.put("item_vec", new float[] {1f});
        return new Sample(
                "r81f2:3",
                "r81f2",
                "u123",
                "i9",
                3,
                1732262400123L,
                1732262410000L,
                "3f9a0c",
                labels,
                2.5f,
                dense,
                List.of("distance_km"),
                sparse,
                sparseRaw,
                embeddings);
    }

    static Sample minimalSample() {
        return new Sample(
                "i1",
                "r1",
                null,
                null,
                null,
                1732262400000L,
                1732262400500L,
                Sample.RAW_SPEC,
                Map.of("click", 0),
                1f,
                Map.of(),
                List.of(),
                Map.of(),
                Map.of(),
                Map.of());
    }

    @Test
    void roundTripsAFullyPopulatedSample() {
        Sample original = fullSample();

        Sample decoded = codec.decode(codec.encode(original));

        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.sparse().get("tags"))
                .containsExactly(1L, Long.MAX_VALUE, Long.MIN_VALUE);
        assertThat(decoded.embeddings().get("user_seq"))
                .containsExactly(0.013f, -0.2f, Float.MIN_VALUE);
        assertThat(decoded.sparseRaw()).containsEntry("city", List.of("北京"));
    }

    @Test
    void roundTripsNullOptionalFieldsAndEmptyMaps() {
        Sample original = minimalSample();

        Sample decoded = codec.decode(codec.encode(original));

        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.userId()).isNull();
        assertThat(decoded.itemId()).isNull();
        assertThat(decoded.position()).isNull();
    }

    @Test
    void writesTheSameBytesAsAvrosGenericWriter() throws IOException {
        // SampleCodec writes the body itself; readers (trainer, tests) decode with Avro's generic
        // reader, so the bytes must be exactly what the generic writer of SCHEMA produces.
        List<Sample> samples = new ArrayList<>(List.of(fullSample(), minimalSample()));
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            samples.add(randomSample(random));
        }
        for (Sample s : samples) {
            assertThat(codec.encode(s))
                    .as(s.toString())
                    .isEqualTo(encodeWith(SampleCodec.SCHEMA, s));
        }
    }

    @Test
    void encodingOneSampleDoesNotLeakIntoTheNext() {
        byte[] alone = new SampleCodec().encode(minimalSample());
        codec.encode(fullSample());
        assertThat(codec.encode(minimalSample())).isEqualTo(alone);
    }

    @Test
    void aRoundTripThatLosesAnArrayValueWouldBeNoticed() {
        // Guards the round-trip tests: Sample.equals must look inside the sparse and embedding
        // arrays.
        Sample original = fullSample();
        Map<String, float[]> otherEmbeddings = new LinkedHashMap<>(original.embeddings());
        otherEmbeddings.put("item_vec", new float[] {2f});
        Map<String, long[]> otherSparse = new LinkedHashMap<>(original.sparse());
        otherSparse.put("category", new long[] {123L, -6L});

        assertThat(codec.decode(codec.encode(original)))
                .isNotEqualTo(withEmbeddings(original, otherEmbeddings))
                .isNotEqualTo(original.withSparse(otherSparse));
    }

    @Test
    void writesSingleObjectEncodingWithTheSchemaFingerprint() {
        byte[] encoded = codec.encode(fullSample());

        byte[] fingerprint =
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(SchemaNormalization.parsingFingerprint64(SampleCodec.SCHEMA))
                        .array();
        assertThat(encoded.length).isGreaterThan(10);
        assertThat(Arrays.copyOfRange(encoded, 0, 2)).containsExactly(0xC3, 0x01);
        assertThat(Arrays.copyOfRange(encoded, 2, 10)).containsExactly(fingerprint);
    }

    @Test
    void rejectsGarbageWithSampleFormatException() {
        byte[] valid = codec.encode(fullSample());
        byte[] wrongFingerprint = valid.clone();
        wrongFingerprint[5] ^= 0x40;

        for (byte[] garbage :
                List.of(
                        new byte[0],
                        new byte[] {(byte) 0xC3},
                        new byte[] {(byte) 0xC3, 0x01},
                        "{\"impression_id\": \"i1\"}".getBytes(),
                        wrongFingerprint)) {
            assertThatThrownBy(() -> codec.decode(garbage))
                    .as("decoding %s", Arrays.toString(garbage))
                    .isExactlyInstanceOf(SampleFormatException.class)
                    .hasMessageStartingWith("not a Freshet sample")
                    .cause()
                    .isNotNull();
        }
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(SampleFormatException.class);
    }

    @Test
    void rejectsRandomBytesWithSampleFormatException() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);

            assertThatThrownBy(() -> codec.decode(garbage))
                    .isExactlyInstanceOf(SampleFormatException.class);
        }
    }

    @Test
    void rejectsEveryTruncationOfAValidSample() {
        byte[] valid = codec.encode(fullSample());

        for (int length = 0; length < valid.length; length++) {
            byte[] truncated = Arrays.copyOf(valid, length);
            assertThatThrownBy(() -> codec.decode(truncated))
                    .as("decoding the first %d of %d bytes", length, valid.length)
                    .isExactlyInstanceOf(SampleFormatException.class);
        }
    }

    /**
     * A writer schema must be registered with the decoder for its samples to be readable: there is
     * no SchemaStore to look writer schemas up in. This is what happens to samples of the current
     * schema once the next version adds a field.
     */
    @Test
    void readsASampleWrittenWithAnOlderRegisteredSchema() throws IOException {
        Schema v0 = schemaWithout(SampleCodec.SCHEMA, "sparse_raw");
        Sample original = fullSample();

        assertThatThrownBy(() -> codec.decode(encodeWith(v0, original)))
                .isExactlyInstanceOf(SampleFormatException.class);
        Sample decoded = new SampleCodec(List.of(v0)).decode(encodeWith(v0, original));

        // sparse_raw comes from the reader schema's default; everything else is what was written.
        assertThat(decoded.sparseRaw()).isEmpty();
        assertThat(decoded).isEqualTo(withSparseRaw(original, Map.of()));
    }

    @Test
    void failsOnAWriterSchemaItDoesNotKnow() throws IOException {
        // A sample from a newer build (an extra field this build has never seen) carries a
        // fingerprint no registered schema has. With no SchemaStore to look it up, Avro cannot
        // resolve the writer schema, and the codec says so with SampleFormatException rather than
        // guessing at the body.
        ObjectNode json = schemaJson(SampleCodec.SCHEMA);
        ObjectNode extra = ((ArrayNode) json.get("fields")).addObject();
        extra.put("name", "surface");
        extra.put("type", "string");
        Schema newer = new Schema.Parser().parse(json.toString());
        GenericRecord record = record(newer, fullSample());
        record.put("surface", "feed");
        byte[] encoded = encode(newer, record);

        assertThatThrownBy(() -> codec.decode(encoded))
                .isExactlyInstanceOf(SampleFormatException.class)
                .hasMessageContaining("fingerprint");
    }

    // ---- helpers ----

    private static ObjectNode schemaJson(Schema schema) throws IOException {
        return (ObjectNode) new ObjectMapper().readTree(schema.toString());
    }

    private static Schema schemaWithout(Schema schema, String field) {
        try {
            ObjectNode json = schemaJson(schema);
            ArrayNode fields = (ArrayNode) json.get("fields");
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).get("name").asText().equals(field)) {
                    fields.remove(i);
                    return new Schema.Parser().parse(json.toString());
                }
            }
            throw new IllegalArgumentException("no field " + field);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encodeWith(Schema writer, Sample sample) throws IOException {
        return encode(writer, record(writer, sample));
    }

    private static byte[] encode(Schema writer, GenericRecord record) throws IOException {
        ByteBuffer buf =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    /** The sample as a record of {@code schema}, filling only the fields that schema has. */
    private static GenericRecord record(Schema schema, Sample s) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("impression_id", s.impressionId());
        values.put("request_id", s.requestId());
        values.put("user_id", s.userId());
        values.put("item_id", s.itemId());
        values.put("position", s.position());
        values.put("event_time", s.eventTime());
        values.put("emit_time", s.emitTime());
        values.put("spec_version", s.specVersion());
        values.put("labels", s.labels());
        values.put("weight", s.weight());
        values.put("dense", s.dense());
        values.put("dense_missing", s.denseMissing());
        Map<String, List<Long>> sparse = new LinkedHashMap<>();
        s.sparse().forEach((k, v) -> sparse.put(k, Arrays.stream(v).boxed().toList()));
        values.put("sparse", sparse);
        values.put("sparse_raw", s.sparseRaw());
        Map<String, List<Float>> embeddings = new LinkedHashMap<>();
        s.embeddings()
                .forEach(
                        (k, v) -> {
                            List<Float> boxed = new ArrayList<>();
                            for (float f : v) {
                                boxed.add(f);
                            }
                            embeddings.put(k, boxed);
                        });
        values.put("embeddings", embeddings);
        GenericRecord r = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            r.put(f.name(), values.get(f.name()));
        }
        return r;
    }

    /** Any size of every map and list (including empty and over one Avro block), nulls, unicode. */
    private static Sample randomSample(Random r) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (int i = 0, n = r.nextInt(5); i < n; i++) {
            labels.put("task" + i, r.nextInt(2));
        }
        Map<String, Float> dense = new LinkedHashMap<>();
        for (int i = 0, n = r.nextInt(6); i < n; i++) {
            dense.put("d" + i, r.nextFloat() * 1e6f - 5e5f);
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            missing.add("m" + i);
        }
        Map<String, long[]> sparse = new LinkedHashMap<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
            sparse.put("s" + i, r.longs(r.nextInt(70)).toArray());
        }
        Map<String, List<String>> sparseRaw = new LinkedHashMap<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
            List<String> values = new ArrayList<>();
            for (int j = 0, m = r.nextInt(4); j < m; j++) {
                values.add(j % 2 == 0 ? "v" + r.nextInt() : "é北" + j);
            }
            sparseRaw.put("r" + i, values);
        }
        Map<String, float[]> embeddings = new LinkedHashMap<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            float[] v = new float[r.nextInt(200)];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) r.nextGaussian();
            }
            embeddings.put("e" + i, v);
        }
        return new Sample(
                "imp-" + r.nextInt(),
                "req-" + r.nextInt(),
                r.nextBoolean() ? null : "u" + r.nextInt(),
                r.nextBoolean() ? null : "i" + r.nextInt(),
                r.nextBoolean() ? null : r.nextInt(),
                r.nextLong(),
                r.nextLong(),
                r.nextBoolean() ? Sample.RAW_SPEC : "spec" + r.nextInt(100),
                labels,
                r.nextFloat(),
                dense,
                missing,
                sparse,
                sparseRaw,
                embeddings);
    }

    private static Sample withSparseRaw(Sample s, Map<String, List<String>> sparseRaw) {
        return new Sample(
                s.impressionId(),
                s.requestId(),
                s.userId(),
                s.itemId(),
                s.position(),
                s.eventTime(),
                s.emitTime(),
                s.specVersion(),
                s.labels(),
                s.weight(),
                s.dense(),
                s.denseMissing(),
                s.sparse(),
                sparseRaw,
                s.embeddings());
    }

    private static Sample withEmbeddings(Sample s, Map<String, float[]> embeddings) {
        return new Sample(
                s.impressionId(),
                s.requestId(),
                s.userId(),
                s.itemId(),
                s.position(),
                s.eventTime(),
                s.emitTime(),
                s.specVersion(),
                s.labels(),
                s.weight(),
                s.dense(),
                s.denseMissing(),
                s.sparse(),
                s.sparseRaw(),
                embeddings);
    }
}
