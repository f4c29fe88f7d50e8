package dev.freshet.flink.join;

import dev.freshet.features.event.Impression;
import dev.freshet.flink.types.Codecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Impressions to and from the bytes the join keeps in state, in the layout of {@link
 * Codecs.ImpressionCodec}. Reuses its buffers: one instance per function instance (one thread).
 */
final class ImpressionBytes {

    private final Codecs.ImpressionCodec codec = new Codecs.ImpressionCodec();
    private final DataOutputSerializer out = new DataOutputSerializer(1024);
    private final DataInputDeserializer in = new DataInputDeserializer();

    byte[] write(Impression imp) {
        out.clear();
        try {
            codec.write(imp, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize impression " + imp.impressionId(), e);
        }
        return out.getCopyOfBuffer();
    }

    Impression read(byte[] bytes) {
        in.setBuffer(bytes);
        try {
            return codec.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an impression from join state", e);
        }
    }
}
