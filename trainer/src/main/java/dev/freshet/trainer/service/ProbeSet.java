package dev.freshet.trainer.service;

import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.train.TrainingSession;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed probe set: the first {@code size} readable samples the trainer ever saw, kept verbatim
 * and carried in every checkpoint, so every version is scored on the same samples and the
 * prediction-drift check compares like with like.
 */
final class ProbeSet {

    static final String FILE = "probe.bin";
    static final String PREDICTIONS = "probe-predictions.bin";

    private final int size;
    private final List<byte[]> records = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private Batch batch;

    ProbeSet(int size) {
        this.size = size;
    }

    boolean complete() {
        return size > 0 && samples.size() == size;
    }

    void offer(byte[] record, Sample sample) {
        if (samples.size() < size) {
            records.add(record);
            samples.add(sample);
        }
    }

    /** Predictions of {@code session} on the probe set, [P x K]; null until it is complete. */
    float[] predictions(TrainingSession session) {
        if (!complete()) {
            return null;
        }
        if (batch == null) {
            // Every session of one service has the same layout: assemble the fixed set once.
            // Probe samples were accepted into that layout when they arrived, whatever spec
            // version they carry (a probe read back from a checkpoint carries the original).
            String model = session.layout().specVersion();
            batch =
                    new BatchAssembler(session.layout(), session.config().taskNames())
                            .assemble(samples.stream().map(s -> s.withSpecVersion(model)).toList())
                            .batch();
        }
        return batch.size() == 0 ? null : session.predict(batch);
    }

    void save(Path dir) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(Files.newOutputStream(dir.resolve(FILE)))) {
            out.writeInt(records.size());
            for (byte[] r : records) {
                out.writeInt(r.length);
                out.write(r);
            }
        }
    }

    static ProbeSet load(Path dir, int size, dev.freshet.features.sample.SampleCodec codec)
            throws IOException {
        ProbeSet probe = new ProbeSet(size);
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return probe;
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] r = in.readNBytes(in.readInt());
                probe.offer(r, codec.decode(r));
            }
        }
        return probe;
    }

    static void savePredictions(Path dir, float[] predictions) throws IOException {
        if (predictions == null) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(predictions.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(predictions);
        Files.write(dir.resolve(PREDICTIONS), b.array());
    }

    static float[] loadPredictions(Path dir) throws IOException {
        Path file = dir.resolve(PREDICTIONS);
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
