package dev.freshet.features.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.util.Utf8;

/**
 * Encodes samples with Avro single-object encoding: the two magic bytes, the 8-byte fingerprint of
 * the writer schema, then the binary body. Readers resolve the writer schema by fingerprint against
 * {@link #SCHEMA} and the older versions in {@code OLDER_SCHEMAS}, so a field added in a later
 * schema version (with a default) keeps old samples readable. Samples from a schema this build does
 * not know (a newer writer) fail with {@link SampleFormatException}.
 *
 * <p>Encoders and decoders are not thread-safe in Avro; one codec per thread (or per Flink
 * subtask).
 */
public final class SampleCodec {

    /** The schema this build writes. */
    public static final Schema SCHEMA = loadSchema("sample-v1.avsc");

    /**
     * Earlier writer schemas whose samples this build still reads. v1 is the first; when the schema
     * changes, the previous one moves here (as sample-v1.avsc) so its samples stay readable.
     */
    static final List<Schema> OLDER_SCHEMAS = List.of();

    /**
     * The single-object header of {@link #SCHEMA}: magic C3 01, then its CRC-64-AVRO parsing
     * fingerprint, little-endian (as Avro's {@code BinaryMessageEncoder} writes it).
     */
    private static final byte[] HEADER =
            ByteBuffer.allocate(10)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .put((byte) 0xC3)
                    .put((byte) 0x01)
                    .putLong(SchemaNormalization.parsingFingerprint64(SCHEMA))
                    .array();

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    private BinaryEncoder body;
    private final BinaryMessageDecoder<GenericRecord> decoder =
            new BinaryMessageDecoder<>(GenericData.get(), SCHEMA);

    public SampleCodec() {
        this(OLDER_SCHEMAS);
    }

    SampleCodec(List<Schema> olderSchemas) {
        olderSchemas.forEach(decoder::addSchema);
    }

    public byte[] encode(Sample sample) {
        buffer.reset();
        buffer.write(HEADER, 0, HEADER.length);
        body = EncoderFactory.get().directBinaryEncoder(buffer, body);
        try {
            SampleBodyWriter.write(sample, body);
            body.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode sample " + sample.impressionId(), e);
        }
        return buffer.toByteArray();
    }

    /**
     * Decodes one sample.
     *
     * @throws SampleFormatException if the bytes are not a sample this build can read
     */
    public Sample decode(byte[] bytes) {
        GenericRecord r;
        try {
            r = decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SampleFormatException("not a Freshet sample: " + e.getMessage(), e);
        }
        return new Sample(
                str(r.get("impression_id")),
                str(r.get("request_id")),
                str(r.get("user_id")),
                str(r.get("item_id")),
                (Integer) r.get("position"),
                (Long) r.get("event_time"),
                (Long) r.get("emit_time"),
                str(r.get("spec_version")),
                map(r.get("labels"), v -> (Integer) v),
                (Float) r.get("weight"),
                map(r.get("dense"), v -> (Float) v),
                strings(r.get("dense_missing")),
                map(r.get("sparse"), SampleCodec::longs),
                map(r.get("sparse_raw"), SampleCodec::strings),
                map(r.get("embeddings"), SampleCodec::floats));
    }

    private static Schema loadSchema(String name) {
        try (InputStream in = SampleCodec.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + name);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static <V> Map<String, V> map(Object o, java.util.function.Function<Object, V> value) {
        Map<String, V> out = new LinkedHashMap<>();
        ((Map<?, ?>) o).forEach((k, v) -> out.put(k.toString(), value.apply(v)));
        return out;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object v : (List<?>) o) {
            out.add(v instanceof Utf8 u ? u.toString() : (String) v);
        }
        return out;
    }

    private static long[] longs(Object o) {
        List<?> list = (List<?>) o;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) list.get(i);
        }
        return out;
    }

    private static float[] floats(Object o) {
        List<?> list = (List<?>) o;
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) list.get(i);
        }
        return out;
    }
}
