package dev.freshet.features.spec;

import dev.freshet.features.event.RawFeatures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Fits a {@link FeatureSpec} from a stream of raw features with mergeable sketches (Apache
 * DataSketches): a KLL quantile sketch per dense feature and a frequent-items sketch per sparse
 * field. Fitters from parallel subtasks or from consecutive time slices merge into one, which is
 * how a trailing window across a parallel job is fitted.
 *
 * <p>Both sketches are approximate by design: KLL's rank error is about 1.3 % at k = 200, and the
 * frequent-items sketch keeps the values heavy enough for its map ({@value #ITEMS_MAP_SIZE} slots),
 * which is exactly the low-frequency filtering the spec wants.
 */
public final class FeatureFitter {

    static final int KLL_K = 200;
    private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();
    static final int ITEMS_MAP_SIZE = 1 << 15;

    private final FeatureConfig config;
    private final Map<String, KllDoublesSketch> dense = new LinkedHashMap<>();
    private final Map<String, ItemsSketch<String>> sparse = new LinkedHashMap<>();
    private long samples;

    public FeatureFitter(FeatureConfig config) {
        this.config = config;
        config.dense().forEach(d -> dense.put(d.name(), KllDoublesSketch.newHeapInstance(KLL_K)));
        config.sparse().forEach(s -> sparse.put(s.name(), new ItemsSketch<>(ITEMS_MAP_SIZE)));
    }

    public void add(RawFeatures raw) {
        samples++;
        dense.forEach(
                (name, sketch) -> {
                    Double v = raw.dense().get(name);
                    if (v != null && Double.isFinite(v)) {
                        sketch.update(DenseSpec.atSamplePrecision(v));
                    }
                });
        sparse.forEach(
                (name, sketch) -> {
                    List<String> values = raw.sparse().get(name);
                    if (values != null) {
                        values.forEach(sketch::update);
                    }
                });
    }

    /** Adds everything {@code other} has seen; both must fit the same config. */
    public void merge(FeatureFitter other) {
        samples += other.samples;
        dense.forEach((name, sketch) -> sketch.merge(other.dense.get(name)));
        sparse.forEach((name, sketch) -> sketch.merge(other.sparse.get(name)));
    }

    public long samples() {
        return samples;
    }

    /** The sketches as bytes, for checkpointed state and for shipping partial fits. */
    public byte[] toBytes() {
        try (ByteArrayOutputStream buf = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(buf)) {
            out.writeLong(samples);
            for (KllDoublesSketch sketch : dense.values()) {
                writeBlock(out, sketch.toByteArray());
            }
            for (ItemsSketch<String> sketch : sparse.values()) {
                writeBlock(out, sketch.toByteArray(SERDE));
            }
            out.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fitter for {@code config} holding what {@link #toBytes} wrote under the same config. */
    public static FeatureFitter fromBytes(FeatureConfig config, byte[] bytes) {
        FeatureFitter f = new FeatureFitter(config);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            f.samples = in.readLong();
            for (String name : f.dense.keySet()) {
                f.dense.put(name, KllDoublesSketch.heapify(Memory.wrap(readBlock(in))));
            }
            for (String name : f.sparse.keySet()) {
                f.sparse.put(name, ItemsSketch.getInstance(Memory.wrap(readBlock(in)), SERDE));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a fitter for this feature config: " + e, e);
        }
        return f;
    }

    private static void writeBlock(DataOutputStream out, byte[] block) throws IOException {
        out.writeInt(block.length);
        out.write(block);
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        byte[] block = new byte[in.readInt()];
        in.readFully(block);
        return block;
    }

    public FeatureSpec fit() {
        List<DenseSpec> denseSpecs = new ArrayList<>();
        for (FeatureConfig.DenseFeature d : config.dense()) {
            denseSpecs.add(new DenseSpec(d.name(), boundaries(dense.get(d.name()), d.buckets())));
        }
        List<SparseSpec> sparseSpecs = new ArrayList<>();
        for (FeatureConfig.SparseFeature s : config.sparse()) {
            ItemsSketch.Row<String>[] rows =
                    sparse.get(s.name())
                            .getFrequentItems(
                                    s.minCount(),
                                    ErrorType.NO_FALSE_POSITIVES); // lower bound >= min_count
            long[] frequent = new long[rows.length];
            for (int i = 0; i < rows.length; i++) {
                frequent[i] =
                        SparseSpec.fingerprint(s.name(), rows[i].getItem(), config.hashSeed());
            }
            sparseSpecs.add(new SparseSpec(s.name(), s.buckets(), s.minCount(), frequent));
        }
        List<EmbeddingSpec> embeddingSpecs =
                config.embeddings().stream()
                        .map(e -> new EmbeddingSpec(e.name(), e.dim()))
                        .toList();
        return FeatureSpec.of(config.hashSeed(), denseSpecs, sparseSpecs, embeddingSpecs);
    }

    /** The n-1 cut points at ranks 1/n .. (n-1)/n, with ties collapsed. */
    private static double[] boundaries(KllDoublesSketch sketch, int buckets) {
        if (sketch.isEmpty()) {
            return new double[0];
        }
        double[] ranks = new double[buckets - 1];
        for (int i = 1; i < buckets; i++) {
            ranks[i - 1] = (double) i / buckets;
        }
        double[] q = sketch.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
        double[] unique = new double[q.length];
        int n = 0;
        for (double v : q) {
            if (n == 0 || v > unique[n - 1]) {
                unique[n++] = v;
            }
        }
        return java.util.Arrays.copyOf(unique, n);
    }
}
