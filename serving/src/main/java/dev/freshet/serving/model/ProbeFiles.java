package dev.freshet.serving.model;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the trainer's probe files of a version (the trainer's {@code ProbeSet} writes them): {@code
 * probe.bin}, a big-endian count then length-prefixed encoded samples, and {@code
 * probe-predictions.bin}, the trainer's [P x K] predictions on them as little-endian floats.
 */
final class ProbeFiles {

    static final String SAMPLES = "probe.bin";
    static final String PREDICTIONS = "probe-predictions.bin";

    private ProbeFiles() {}

    static List<Sample> samples(Path dir) throws IOException {
        SampleCodec codec = new SampleCodec();
        List<Sample> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(SAMPLES)))) {
            int n = in.readInt();
            if (n < 0) {
                throw new IOException(SAMPLES + ": negative count " + n);
            }
            for (int i = 0; i < n; i++) {
                int length = in.readInt();
                if (length < 0) {
                    throw new IOException(SAMPLES + ": negative record length at " + i);
                }
                byte[] record = in.readNBytes(length);
                if (record.length != length) {
                    throw new IOException(SAMPLES + ": truncated at record " + i);
                }
                out.add(codec.decode(record));
            }
        }
        return out;
    }

    static float[] predictions(Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(PREDICTIONS));
        if (bytes.length % 4 != 0) {
            throw new IOException(PREDICTIONS + ": " + bytes.length + " bytes is not whole floats");
        }
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
