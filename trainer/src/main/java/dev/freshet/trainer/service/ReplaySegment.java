package dev.freshet.trainer.service;

import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.embedding.EmbeddingTable;
import dev.freshet.trainer.embedding.RowSparseOptimizer;
import dev.freshet.trainer.gate.StabilityGate.ReplayOutcome;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.train.Checkpoint;
import dev.freshet.trainer.train.TrainingSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The reproducibility check's evidence: the first few batches of an interval (with whether each was
 * applied) and the live state right after them. At candidate time the parent checkpoint is loaded
 * into a second session and those batches are trained again with the same decisions; a
 * deterministic trainer must land on the same parameters and probe predictions.
 */
final class ReplaySegment {

    private final int capacity;
    private final List<Batch> batches = new ArrayList<>();
    private final List<Boolean> applied = new ArrayList<>();
    private List<float[]> denseAfter;
    private byte[] digestAfter;
    private float[] probeAfter;

    ReplaySegment(int capacity) {
        this.capacity = capacity;
    }

    boolean sealed() {
        return denseAfter != null;
    }

    void record(Batch batch, boolean wasApplied, TrainingSession live, ProbeSet probe) {
        if (sealed() || capacity == 0) {
            return;
        }
        batches.add(batch);
        applied.add(wasApplied);
        if (batches.size() == capacity) {
            denseAfter = dense(live);
            digestAfter = digest(live);
            probeAfter = probe.predictions(live);
        }
    }

    /**
     * Trains the recorded batches again from {@code parent}; {@code perturb} exists so tests can
     * inject nondeterminism.
     */
    ReplayOutcome replay(
            Path parent,
            int threads,
            ai.djl.Device device,
            ProbeSet probe,
            UnaryOperator<Batch> perturb)
            throws IOException {
        if (!sealed()) {
            return new ReplayOutcome(0, 0, 0, true);
        }
        try (TrainingSession replayed = Checkpoint.load(parent, threads, device)) {
            for (int i = 0; i < batches.size(); i++) {
                boolean apply = applied.get(i);
                replayed.step(
                        perturb.apply(batches.get(i)), (l, g) -> apply ? null : "replayed_refusal");
            }
            double maxParam = maxDifference(dense(replayed), denseAfter);
            float[] probeNow = probeAfter == null ? null : probe.predictions(replayed);
            double maxProbe =
                    probeNow == null ? 0 : maxDifference(List.of(probeNow), List.of(probeAfter));
            boolean identical = java.util.Arrays.equals(digest(replayed), digestAfter);
            return new ReplayOutcome(batches.size(), maxParam, maxProbe, identical);
        }
    }

    private static List<float[]> dense(TrainingSession s) {
        List<float[]> out = new ArrayList<>();
        for (Param p : s.network().params().all()) {
            out.add(p.array().toFloatArray());
        }
        return out;
    }

    private static double maxDifference(List<float[]> a, List<float[]> b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i);
            float[] y = b.get(i);
            for (int j = 0; j < x.length; j++) {
                double d = Math.abs((double) x[j] - y[j]);
                if (Double.isNaN(d)) {
                    return Double.POSITIVE_INFINITY;
                }
                max = Math.max(max, d);
            }
        }
        return max;
    }

    /** sha256 over every table and every row optimizer state, for the bit-identity verdict. */
    private static byte[] digest(TrainingSession s) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<EmbeddingTable> tables = s.embeddings().tables();
        for (int f = 0; f < tables.size(); f++) {
            update(md, tables.get(f).weights());
            RowSparseOptimizer o = s.embeddings().optimizers().get(f);
            for (Map.Entry<String, Object> e : o.state().entrySet()) {
                if (e.getValue() instanceof float[] a) {
                    update(md, a);
                }
            }
        }
        return md.digest();
    }

    private static void update(MessageDigest md, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        for (float v : values) {
            if (!b.hasRemaining()) {
                md.update(b.flip());
                b.clear();
            }
            b.putFloat(v);
        }
        md.update(b.flip());
    }
}
