package dev.freshet.flink.types;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How one Freshet type is written between operators and into state. Implementations must have a
 * public no-argument constructor: checkpoints record the codec class and re-create it on restore.
 */
public interface BinaryCodec<T> extends Serializable {

    void write(T value, DataOutputView out) throws IOException;

    T read(DataInputView in) throws IOException;

    /** The version written into checkpoints; bump it when the layout changes. */
    default int version() {
        return 1;
    }
}
