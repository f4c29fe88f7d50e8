package dev.freshet.flink.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information for a Freshet type serialized by a {@link BinaryCodec}. */
public final class CodecTypeInfo<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final BinaryCodec<T> codec;

    public CodecTypeInfo(Class<T> type, BinaryCodec<T> codec) {
        this.type = type;
        this.codec = codec;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new CodecSerializer<>(codec);
    }

    @Override
    public String toString() {
        return "CodecTypeInfo<" + type.getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof CodecTypeInfo<?> other
                && other.type == type
                && other.codec.getClass() == codec.getClass();
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + codec.getClass().hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof CodecTypeInfo;
    }
}
