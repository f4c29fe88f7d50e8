package dev.freshet.features.sample;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.Encoder;

/**
 * Writes a sample's Avro body (schema {@code sample-v1.avsc}) straight from the {@link Sample},
 * making the same {@link Encoder} calls in the same order as Avro's {@code GenericDatumWriter} does
 * for the equivalent {@code GenericRecord}, so the bytes are identical (SampleCodecTest checks it).
 * It skips building the record and boxing every sparse id and embedding value into lists, which was
 * most of the encode stage's allocation (docs/BENCHMARKS.md, label join finding 2).
 *
 * <p>When the schema changes, this must change with it: the byte-identity test compares against the
 * generic writer of {@link SampleCodec#SCHEMA}.
 */
final class SampleBodyWriter {

    private SampleBodyWriter() {}

    static void write(Sample s, Encoder out) throws IOException {
        out.writeString(s.impressionId());
        out.writeString(s.requestId());
        nullableString(s.userId(), out);
        nullableString(s.itemId(), out);
        if (s.position() == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            out.writeInt(s.position());
        }
        out.writeLong(s.eventTime());
        out.writeLong(s.emitTime());
        out.writeString(s.specVersion());
        Map<String, Integer> labels = s.labels();
        mapStart(labels, out);
        for (Map.Entry<String, Integer> e : labels.entrySet()) {
            key(e.getKey(), out);
            out.writeInt(e.getValue());
        }
        out.writeMapEnd();
        out.writeFloat(s.weight());
        Map<String, Float> dense = s.dense();
        mapStart(dense, out);
        for (Map.Entry<String, Float> e : dense.entrySet()) {
            key(e.getKey(), out);
            out.writeFloat(e.getValue());
        }
        out.writeMapEnd();
        strings(s.denseMissing(), out);
        Map<String, long[]> sparse = s.sparse();
        mapStart(sparse, out);
        for (Map.Entry<String, long[]> e : sparse.entrySet()) {
            key(e.getKey(), out);
            long[] ids = e.getValue();
            out.writeArrayStart();
            out.setItemCount(ids.length);
            for (long id : ids) {
                out.startItem();
                out.writeLong(id);
            }
            out.writeArrayEnd();
        }
        out.writeMapEnd();
        Map<String, List<String>> sparseRaw = s.sparseRaw();
        mapStart(sparseRaw, out);
        for (Map.Entry<String, List<String>> e : sparseRaw.entrySet()) {
            key(e.getKey(), out);
            strings(e.getValue(), out);
        }
        out.writeMapEnd();
        Map<String, float[]> embeddings = s.embeddings();
        mapStart(embeddings, out);
        for (Map.Entry<String, float[]> e : embeddings.entrySet()) {
            key(e.getKey(), out);
            float[] values = e.getValue();
            out.writeArrayStart();
            out.setItemCount(values.length);
            for (float v : values) {
                out.startItem();
                out.writeFloat(v);
            }
            out.writeArrayEnd();
        }
        out.writeMapEnd();
    }

    /** A union of null and string, null first: the branch index, then the value if any. */
    private static void nullableString(String value, Encoder out) throws IOException {
        if (value == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }

    private static void mapStart(Map<String, ?> map, Encoder out) throws IOException {
        out.writeMapStart();
        out.setItemCount(map.size());
    }

    private static void key(String key, Encoder out) throws IOException {
        out.startItem();
        out.writeString(key);
    }

    private static void strings(List<String> values, Encoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (String v : values) {
            out.startItem();
            out.writeString(v);
        }
        out.writeArrayEnd();
    }
}
