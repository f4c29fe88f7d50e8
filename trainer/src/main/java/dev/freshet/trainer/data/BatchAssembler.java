package dev.freshet.trainer.data;

import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.data.ModelLayout.EmbeddingField;
import dev.freshet.trainer.data.ModelLayout.SparseField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns decoded samples into a {@link Batch} for one model layout and task list. A sample the model
 * cannot read (another spec version, an id outside its field's table, a wrong embedding width, a
 * non-finite value, a label that is not 0/1) is set aside with its reason; the valid samples of the
 * same batch are kept. A task the sample has no label for is masked out of that task's loss and
 * metrics rather than read as a negative.
 */
public final class BatchAssembler {

    private final ModelLayout layout;
    private final List<String> tasks;

    public BatchAssembler(ModelLayout layout, List<String> tasks) {
        this.layout = layout;
        this.tasks = List.copyOf(tasks);
    }

    public ModelLayout layout() {
        return layout;
    }

    /** A batch of the samples the model can read, and the others with their reasons. */
    public record Assembled(Batch batch, List<Rejected> rejected) {}

    /** A sample the model cannot learn from, and why. */
    public record Rejected(Sample sample, String reason) {}

    public Assembled assemble(List<Sample> samples) {
        List<Sample> valid = new ArrayList<>(samples.size());
        List<Rejected> rejected = new ArrayList<>();
        for (Sample s : samples) {
            String problem = problem(s);
            if (problem == null) {
                valid.add(s);
            } else {
                rejected.add(new Rejected(s, problem));
            }
        }
        return new Assembled(build(valid), rejected);
    }

    private String problem(Sample s) {
        if (!layout.specVersion().equals(s.specVersion())) {
            return "spec version "
                    + s.specVersion()
                    + " is not the model's "
                    + layout.specVersion();
        }
        if (!Float.isFinite(s.weight()) || s.weight() < 0) {
            return "weight " + s.weight() + " is not a finite non-negative number";
        }
        for (Map.Entry<String, Float> e : s.dense().entrySet()) {
            if (!Float.isFinite(e.getValue())) {
                return "dense " + e.getKey() + " is not finite";
            }
        }
        for (SparseField f : layout.sparse()) {
            long[] ids = s.sparse().get(f.name());
            if (ids == null) {
                continue;
            }
            for (long id : ids) {
                if (id < 0 || id >= f.buckets()) {
                    return "sparse " + f.name() + " id " + id + " outside 0.." + (f.buckets() - 1);
                }
            }
        }
        for (EmbeddingField f : layout.embeddings()) {
            float[] v = s.embeddings().get(f.name());
            if (v == null) {
                continue;
            }
            if (v.length != f.dim()) {
                return "embedding " + f.name() + " has " + v.length + " values, not " + f.dim();
            }
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    return "embedding " + f.name() + " is not finite";
                }
            }
        }
        for (String task : tasks) {
            Integer label = s.labels().get(task);
            if (label != null && label != 0 && label != 1) {
                return "label " + task + "=" + label + " is not 0 or 1";
            }
        }
        return null;
    }

    private Batch build(List<Sample> samples) {
        int b = samples.size();
        int d = layout.dense().size();
        int f = layout.sparse().size();
        int e = layout.embeddingWidth();
        int k = tasks.size();
        String[] requestIds = new String[b];
        long[] eventTimes = new long[b];
        float[] dense = new float[b * d];
        float[] missing = new float[b * d];
        int[][] offsets = new int[f][b + 1];
        int[][] ids = new int[f][];
        float[] embeddings = new float[b * e];
        float[] labels = new float[b * k];
        float[] labelMask = new float[b * k];
        float[] weights = new float[b];
        for (int field = 0; field < f; field++) {
            ids[field] = bags(samples, layout.sparse().get(field), offsets[field]);
        }
        for (int i = 0; i < b; i++) {
            Sample s = samples.get(i);
            requestIds[i] = s.requestId();
            eventTimes[i] = s.eventTime();
            weights[i] = s.weight();
            for (int j = 0; j < d; j++) {
                Float v = s.dense().get(layout.dense().get(j));
                if (v == null) {
                    missing[i * d + j] = 1f;
                } else {
                    dense[i * d + j] = v;
                }
            }
            int col = 0;
            for (EmbeddingField field : layout.embeddings()) {
                float[] v = s.embeddings().get(field.name());
                if (v != null) {
                    System.arraycopy(v, 0, embeddings, i * e + col, field.dim());
                }
                col += field.dim();
            }
            for (int t = 0; t < k; t++) {
                Integer label = s.labels().get(tasks.get(t));
                if (label != null) {
                    labels[i * k + t] = label;
                    labelMask[i * k + t] = 1f;
                }
            }
        }
        return new Batch(
                b,
                requestIds,
                eventTimes,
                dense,
                missing,
                offsets,
                ids,
                embeddings,
                labels,
                labelMask,
                weights);
    }

    private static int[] bags(List<Sample> samples, SparseField field, int[] offsets) {
        int total = 0;
        for (Sample s : samples) {
            long[] v = s.sparse().get(field.name());
            total += v == null || v.length == 0 ? 1 : v.length;
        }
        int[] ids = new int[total];
        int at = 0;
        for (int i = 0; i < samples.size(); i++) {
            offsets[i] = at;
            long[] v = samples.get(i).sparse().get(field.name());
            if (v == null || v.length == 0) {
                ids[at++] = field.absentRow();
            } else {
                for (long id : v) {
                    ids[at++] = (int) id;
                }
            }
        }
        offsets[samples.size()] = at;
        return Arrays.copyOf(ids, at);
    }
}
