package dev.freshet.trainer.metrics;

import dev.freshet.manifest.TaskMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The newest {@code capacity} scored samples, over which the per-task metrics and HIT@k are
 * reported: the store behind progressive evaluation.
 *
 * <p>The contract says to score each batch <em>before</em> training on it. The trainer does that
 * and then hands the predictions, labels, label mask and weights to {@link #addBatch} once per
 * step. Every sample is therefore out-of-sample when it is scored, and a bounded window makes the
 * reported numbers track the current model rather than an average over its whole history.
 *
 * <p>Storage is a ring of primitive arrays (plus one array of request-id references), allocated
 * once; {@link #addBatch} only validates and {@code System.arraycopy}s, with no per-sample
 * allocation, so it is cheap next to a training step. The metrics themselves are computed on demand
 * by {@link #taskMetrics()} and {@link #hit()}, which cost O(size log size).
 *
 * <p>Labels may be absent per task (e.g. a conversion label that is not known for an impression): a
 * sample whose label for a task is absent does not count for that task at all, neither in its
 * metrics nor in HIT@k when that task is the HIT task.
 *
 * <p>HIT@k is computed over the window contents as they are: a request whose earliest samples have
 * been evicted by the ring is ranked on its remaining samples. With a window much larger than a
 * request this touches only a handful of requests at the boundary and is accepted; samples of one
 * request arriving in different batches are grouped together as long as they are in the window.
 *
 * <p>Not thread-safe: the trainer adds and reads from its own thread. Wrap access in external
 * synchronization if another thread must read.
 */
public final class MetricWindow {

    private final List<String> tasks;
    private final int taskCount;
    private final int capacity;
    private final String hitTask;
    private final int hitTaskIndex;
    private final int hitK;

    // Ring storage; row r of the per-task arrays is [r * taskCount, (r + 1) * taskCount).
    private final String[] requestIds;
    private final float[] probabilities;
    private final float[] labels;
    private final float[] labelMask;
    private final float[] weights;

    private int next;
    private int size;
    private long totalSamples;

    /**
     * A window without HIT@k.
     *
     * @param tasks the task names, in the order of the per-task columns of every added row
     * @param capacity how many of the newest samples to keep, at least 1
     */
    public MetricWindow(List<String> tasks, int capacity) {
        this(tasks, capacity, null, 0);
    }

    /**
     * A window that also reports HIT@k on one task.
     *
     * @param tasks the task names, in the order of the per-task columns of every added row
     * @param capacity how many of the newest samples to keep, at least 1
     * @param hitTask the task whose probabilities and labels HIT@k uses (e.g. {@code "save"}), or
     *     {@code null} for no HIT@k
     * @param hitK k, at least 1 when {@code hitTask} is set (e.g. 3); ignored otherwise
     */
    public MetricWindow(List<String> tasks, int capacity, String hitTask, int hitK) {
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("at least one task is required");
        }
        for (String task : tasks) {
            if (task == null) {
                throw new IllegalArgumentException("task names must not be null: " + tasks);
            }
        }
        if (new HashSet<>(tasks).size() != tasks.size()) {
            throw new IllegalArgumentException("task names must be distinct: " + tasks);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.tasks = List.copyOf(tasks);
        this.taskCount = tasks.size();
        this.capacity = capacity;
        if (hitTask == null) {
            this.hitTask = null;
            this.hitTaskIndex = -1;
            this.hitK = 0;
        } else {
            int index = this.tasks.indexOf(hitTask);
            if (index < 0) {
                throw new IllegalArgumentException(
                        "HIT task " + hitTask + " is not one of " + tasks);
            }
            if (hitK < 1) {
                throw new IllegalArgumentException("HIT k must be >= 1: " + hitK);
            }
            this.hitTask = hitTask;
            this.hitTaskIndex = index;
            this.hitK = hitK;
        }
        int cells;
        try {
            cells = Math.multiplyExact(capacity, taskCount);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "capacity " + capacity + " x " + taskCount + " tasks is too large", e);
        }
        this.requestIds = new String[capacity];
        this.probabilities = new float[cells];
        this.labels = new float[cells];
        this.labelMask = new float[cells];
        this.weights = new float[capacity];
    }

    /** The task names, in column order. */
    public List<String> tasks() {
        return tasks;
    }

    /** The maximum number of samples kept. */
    public int capacity() {
        return capacity;
    }

    /** The HIT@k task, if configured. */
    public Optional<String> hitTask() {
        return Optional.ofNullable(hitTask);
    }

    /** k of HIT@k, or 0 when no HIT task is configured. */
    public int hitK() {
        return hitK;
    }

    /** The number of samples currently in the window, at most {@link #capacity()}. */
    public int size() {
        return size;
    }

    /** The number of samples ever added, including evicted ones; not reset by {@link #clear()}. */
    public long totalSamples() {
        return totalSamples;
    }

    /** Empties the window; {@link #totalSamples()} keeps counting. */
    public void clear() {
        Arrays.fill(requestIds, null); // let the ids be collected
        next = 0;
        size = 0;
    }

    /**
     * Adds one sample; convenient for tests and for callers that score one request at a time. The
     * trainer should use {@link #addBatch}.
     *
     * @param requestId the request the sample was ranked in, not null
     * @param probabilities one predicted probability per task
     * @param labels one label per task, in [0, 1] where present (0 or 1 for the HIT task); ignored
     *     where absent
     * @param labelPresent whether each task's label is present, or {@code null} for all present
     * @param weight the sample weight, finite and >= 0
     * @throws IllegalArgumentException on invalid input, in which case nothing is added
     */
    public void add(
            String requestId,
            float[] probabilities,
            float[] labels,
            boolean[] labelPresent,
            float weight) {
        checkRows(1, probabilities, labels, null);
        if (labelPresent != null && labelPresent.length < taskCount) {
            throw new IllegalArgumentException(
                    "labelPresent has " + labelPresent.length + " entries, need " + taskCount);
        }
        checkRequestId(requestId, 0);
        checkWeight(weight, 0);
        for (int t = 0; t < taskCount; t++) {
            if (labelPresent == null || labelPresent[t]) {
                checkLabel(labels[t], t, 0);
            }
        }
        int base = next * taskCount;
        requestIds[next] = requestId;
        weights[next] = weight;
        System.arraycopy(probabilities, 0, this.probabilities, base, taskCount);
        System.arraycopy(labels, 0, this.labels, base, taskCount);
        for (int t = 0; t < taskCount; t++) {
            labelMask[base + t] = labelPresent == null || labelPresent[t] ? 1f : 0f;
        }
        advance(1);
        totalSamples++;
    }

    /**
     * Adds one scored batch, as the trainer does once per step before training on it. If the batch
     * is larger than the capacity, only its last {@code capacity} rows are kept.
     *
     * @param requestIds the request of each row, not null
     * @param probabilities predicted probabilities, row-major {@code batchSize x tasks().size()}
     * @param labels labels, same layout, in [0, 1] where present (0 or 1 for the HIT task)
     * @param labelMask same layout, 1 where the label is present and 0 where absent, or {@code
     *     null} for all present
     * @param weights one weight per row, finite and >= 0, or {@code null} for all 1
     * @param batchSize the number of rows to read; arrays may be longer
     * @throws IllegalArgumentException on invalid input, in which case nothing is added
     */
    public void addBatch(
            String[] requestIds,
            float[] probabilities,
            float[] labels,
            float[] labelMask,
            float[] weights,
            int batchSize) {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be >= 0: " + batchSize);
        }
        checkRows(batchSize, probabilities, labels, labelMask);
        if (requestIds == null || requestIds.length < batchSize) {
            throw new IllegalArgumentException("requestIds must hold batchSize = " + batchSize);
        }
        if (weights != null && weights.length < batchSize) {
            throw new IllegalArgumentException("weights must hold batchSize = " + batchSize);
        }
        // Validate everything first so a bad batch leaves the window untouched.
        for (int b = 0; b < batchSize; b++) {
            checkRequestId(requestIds[b], b);
            if (weights != null) {
                checkWeight(weights[b], b);
            }
            int base = b * taskCount;
            for (int t = 0; t < taskCount; t++) {
                boolean present = true;
                if (labelMask != null) {
                    float m = labelMask[base + t];
                    if (m != 0f && m != 1f) {
                        throw new IllegalArgumentException(
                                "labelMask at row " + b + ", task " + t + " must be 0 or 1: " + m);
                    }
                    present = m == 1f;
                }
                if (present) {
                    checkLabel(labels[base + t], t, b);
                }
            }
        }

        int skip = Math.max(0, batchSize - capacity);
        int count = batchSize - skip;
        int first = Math.min(count, capacity - next);
        copyRows(requestIds, probabilities, labels, labelMask, weights, skip, next, first);
        copyRows(
                requestIds,
                probabilities,
                labels,
                labelMask,
                weights,
                skip + first,
                0,
                count - first);
        advance(count);
        totalSamples += batchSize;
    }

    /**
     * The contract's per-task metrics over the window, one entry per task in {@link #tasks()}
     * order. For each task only samples whose label for that task is present count.
     */
    public List<TaskMetrics> taskMetrics() {
        float[] p = new float[size];
        float[] y = new float[size];
        float[] w = new float[size];
        List<TaskMetrics> result = new ArrayList<>(taskCount);
        int oldest = oldest();
        for (int t = 0; t < taskCount; t++) {
            int m = 0;
            for (int j = 0; j < size; j++) {
                int cell = slot(oldest, j) * taskCount + t;
                if (labelMask[cell] != 0f) {
                    p[m] = probabilities[cell];
                    y[m] = labels[cell];
                    w[m] = weights[slot(oldest, j)];
                    m++;
                }
            }
            result.add(
                    new TaskMetrics(
                            tasks.get(t),
                            m,
                            Auc.auc(p, y, w, m),
                            LogLoss.logLoss(p, y, w, m),
                            Calibration.calibration(p, y, w, m),
                            Calibration.weightedMean(p, w, m),
                            Calibration.weightedMean(y, w, m)));
        }
        return result;
    }

    /**
     * HIT@k over the window on the HIT task (HIT@3/save with task "save" and k = 3), using the
     * samples whose HIT-task label is present, oldest first so that score ties rank the older
     * sample higher. See {@link HitAtK} for the definition and the class documentation for requests
     * cut by the ring boundary.
     *
     * @throws IllegalStateException if no HIT task was configured
     */
    public HitAtK.Result hit() {
        if (hitTask == null) {
            throw new IllegalStateException("this window was created without a HIT task");
        }
        String[] ids = new String[size];
        float[] p = new float[size];
        float[] y = new float[size];
        int m = 0;
        int oldest = oldest();
        for (int j = 0; j < size; j++) {
            int row = slot(oldest, j);
            int cell = row * taskCount + hitTaskIndex;
            if (labelMask[cell] != 0f) {
                ids[m] = requestIds[row];
                p[m] = probabilities[cell];
                y[m] = labels[cell];
                m++;
            }
        }
        return HitAtK.compute(ids, p, y, m, hitK);
    }

    private void checkRows(int rows, float[] probabilities, float[] labels, float[] labelMask) {
        long cells = (long) rows * taskCount;
        if (probabilities == null || probabilities.length < cells) {
            throw new IllegalArgumentException(
                    "probabilities must hold " + rows + " x " + taskCount + " values");
        }
        if (labels == null || labels.length < cells) {
            throw new IllegalArgumentException(
                    "labels must hold " + rows + " x " + taskCount + " values");
        }
        if (labelMask != null && labelMask.length < cells) {
            throw new IllegalArgumentException(
                    "labelMask must hold " + rows + " x " + taskCount + " values");
        }
    }

    private static void checkRequestId(String requestId, int row) {
        if (requestId == null) {
            throw new IllegalArgumentException("request id at row " + row + " is null");
        }
    }

    private static void checkWeight(float weight, int row) {
        if (!(weight >= 0f) || Float.isInfinite(weight)) {
            throw new IllegalArgumentException(
                    "weight at row " + row + " must be finite and >= 0: " + weight);
        }
    }

    private void checkLabel(float label, int task, int row) {
        boolean valid =
                task == hitTaskIndex ? label == 0f || label == 1f : label >= 0f && label <= 1f;
        if (!valid) {
            throw new IllegalArgumentException(
                    "label of task "
                            + tasks.get(task)
                            + " at row "
                            + row
                            + (task == hitTaskIndex ? " must be 0 or 1: " : " must be in [0, 1]: ")
                            + label);
        }
    }

    /** Copies {@code rows} source rows from {@code from} into ring rows starting at {@code to}. */
    private void copyRows(
            String[] requestIds,
            float[] probabilities,
            float[] labels,
            float[] labelMask,
            float[] weights,
            int from,
            int to,
            int rows) {
        if (rows == 0) {
            return;
        }
        System.arraycopy(requestIds, from, this.requestIds, to, rows);
        if (weights == null) {
            Arrays.fill(this.weights, to, to + rows, 1f);
        } else {
            System.arraycopy(weights, from, this.weights, to, rows);
        }
        int src = from * taskCount;
        int dst = to * taskCount;
        int cells = rows * taskCount;
        System.arraycopy(probabilities, src, this.probabilities, dst, cells);
        System.arraycopy(labels, src, this.labels, dst, cells);
        if (labelMask == null) {
            Arrays.fill(this.labelMask, dst, dst + cells, 1f);
        } else {
            System.arraycopy(labelMask, src, this.labelMask, dst, cells);
        }
    }

    private void advance(int rows) {
        next = (next + rows) % capacity;
        size = Math.min(capacity, size + rows);
    }

    /** The ring row of the oldest sample. */
    private int oldest() {
        return Math.floorMod(next - size, capacity);
    }

    /** The ring row of the j-th oldest sample. */
    private int slot(int oldest, int j) {
        int row = oldest + j;
        return row >= capacity ? row - capacity : row;
    }
}
