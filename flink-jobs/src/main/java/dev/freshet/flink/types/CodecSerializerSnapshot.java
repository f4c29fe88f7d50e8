package dev.freshet.flink.types;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Records the codec class and its layout version, so a restore can tell whether it still fits. */
public final class CodecSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {

    private BinaryCodec<T> codec;
    private int codecVersion;

    /** For Flink's reflective instantiation on restore. */
    public CodecSerializerSnapshot() {}

    CodecSerializerSnapshot(BinaryCodec<T> codec) {
        this.codec = codec;
        this.codecVersion = codec.version();
    }

    @Override
    public int getCurrentVersion() {
        return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(codec.getClass().getName());
        out.writeInt(codec.version());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
            throws IOException {
        String className = in.readUTF();
        codecVersion = in.readInt();
        try {
            codec =
                    (BinaryCodec<T>)
                            Class.forName(className, true, classLoader)
                                    .getDeclaredConstructor()
                                    .newInstance();
        } catch (ClassNotFoundException
                | NoSuchMethodException
                | InstantiationException
                | IllegalAccessException
                | InvocationTargetException e) {
            throw new IOException("cannot re-create codec " + className, e);
        }
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return new CodecSerializer<>(codec);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot instanceof CodecSerializerSnapshot<T> old
                && old.codec.getClass() == codec.getClass()
                && old.codecVersion == codec.version()) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }
}
