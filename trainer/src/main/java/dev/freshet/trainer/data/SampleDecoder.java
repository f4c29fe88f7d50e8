package dev.freshet.trainer.data;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.sample.SampleFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads samples in the encoding the pipeline writes to {@code samples} (the shared Avro
 * single-object codec of the features module). Bytes that are not a sample are returned with the
 * reason instead of failing the batch they arrived in.
 */
public final class SampleDecoder {

    private final SampleCodec codec = new SampleCodec();

    /** The samples that decoded, and the records that did not. */
    public record Decoded(List<Sample> samples, List<Undecodable> undecodable) {}

    /** A record that is not a sample this build can read. */
    public record Undecodable(int index, byte[] bytes, String reason) {}

    public Decoded decode(List<byte[]> records) {
        List<Sample> samples = new ArrayList<>(records.size());
        List<Undecodable> bad = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            byte[] bytes = records.get(i);
            try {
                samples.add(codec.decode(bytes));
            } catch (SampleFormatException e) {
                bad.add(new Undecodable(i, bytes, e.getMessage()));
            }
        }
        return new Decoded(samples, bad);
    }
}
