package dev.freshet.flink.types;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** Primitive layouts shared by the codecs. Sizes are written as ints; null is size -1. */
final class Wire {

    private Wire() {}

    static void string(String s, DataOutputView out) throws IOException {
        StringValue.writeString(s, out); // handles null and strings over 64 KB
    }

    static String string(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    static void bytes(byte[] b, DataOutputView out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] bytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    static void floats(float[] f, DataOutputView out) throws IOException {
        out.writeInt(f.length);
        for (float v : f) {
            out.writeFloat(v);
        }
    }

    static float[] floats(DataInputView in) throws IOException {
        float[] f = new float[in.readInt()];
        for (int i = 0; i < f.length; i++) {
            f[i] = in.readFloat();
        }
        return f;
    }

    static void longs(long[] l, DataOutputView out) throws IOException {
        out.writeInt(l.length);
        for (long v : l) {
            out.writeLong(v);
        }
    }

    static long[] longs(DataInputView in) throws IOException {
        long[] l = new long[in.readInt()];
        for (int i = 0; i < l.length; i++) {
            l[i] = in.readLong();
        }
        return l;
    }

    static void nullableInt(Integer v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeInt(v);
        }
    }

    static Integer nullableInt(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    static void strings(List<String> list, DataOutputView out) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            string(s, out);
        }
    }

    static List<String> strings(DataInputView in) throws IOException {
        int n = in.readInt();
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(string(in));
        }
        return list;
    }

    interface Writer<V> {
        void write(V value, DataOutputView out) throws IOException;
    }

    interface Reader<V> {
        V read(DataInputView in) throws IOException;
    }

    static <V> void map(Map<String, V> map, Writer<V> value, DataOutputView out)
            throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, V> e : map.entrySet()) {
            string(e.getKey(), out);
            value.write(e.getValue(), out);
        }
    }

    static <V> Map<String, V> map(Reader<V> value, DataInputView in) throws IOException {
        int n = in.readInt();
        Map<String, V> map = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            map.put(string(in), value.read(in));
        }
        return map;
    }
}
