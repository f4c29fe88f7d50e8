package dev.freshet.flink.join;

import dev.freshet.features.event.Engagement;
import dev.freshet.flink.types.BinaryCodec;
import dev.freshet.flink.types.CodecTypeInfo;
import dev.freshet.flink.types.Codecs;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The checkpoint layout of {@link JoinKeyState}: the serialized impression (length, -1 for none,
 * the bytes, then its event time), emittedAt, the label bits, the seen ids, the held engagements.
 *
 * <p>The impression bytes are in {@link Codecs.ImpressionCodec}'s layout, which this codec's
 * checkpointed version does not cover: when that layout changes, bump {@link #version()} here too.
 */
public final class JoinKeyStateCodec implements BinaryCodec<JoinKeyState> {

    private static final long serialVersionUID = 1L;

    static final TypeInformation<JoinKeyState> TYPE =
            new CodecTypeInfo<>(JoinKeyState.class, new JoinKeyStateCodec());

    private final Codecs.EngagementCodec engagements = new Codecs.EngagementCodec();

    /** Public and without arguments: checkpoints re-create the codec by class name. */
    public JoinKeyStateCodec() {}

    @Override
    public void write(JoinKeyState s, DataOutputView out) throws IOException {
        byte[] imp = s.impression();
        out.writeInt(imp == null ? -1 : imp.length);
        if (imp != null) {
            out.write(imp);
            out.writeLong(s.impressionTime());
        }
        out.writeLong(s.emittedAt());
        out.writeInt(s.labelBits());
        out.writeInt(s.seenIds().length);
        for (String id : s.seenIds()) {
            StringValue.writeString(id, out);
        }
        out.writeInt(s.held().length);
        for (Engagement e : s.held()) {
            engagements.write(e, out);
        }
    }

    @Override
    public JoinKeyState read(DataInputView in) throws IOException {
        int impressionLength = in.readInt();
        byte[] impression = null;
        long impressionTime = 0L;
        if (impressionLength >= 0) {
            impression = new byte[impressionLength];
            in.readFully(impression);
            impressionTime = in.readLong();
        }
        long emittedAt = in.readLong();
        int labelBits = in.readInt();
        String[] ids = new String[in.readInt()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = StringValue.readString(in);
        }
        Engagement[] held = new Engagement[in.readInt()];
        for (int i = 0; i < held.length; i++) {
            held[i] = engagements.read(in);
        }
        return new JoinKeyState(impression, impressionTime, emittedAt, labelBits, ids, held);
    }
}
