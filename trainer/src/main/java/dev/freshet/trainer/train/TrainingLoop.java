package dev.freshet.trainer.train;

import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.metrics.MetricWindow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The loop around a {@link TrainingSession}: assembles each batch of samples, sets aside what the
 * model cannot read, scores before learning (progressive evaluation into a {@link MetricWindow}),
 * learns, and tells the listeners. {@link #run} trains over a sequence of batches and returns a
 * {@link TrainingResult}.
 */
public final class TrainingLoop {

    /** Progressive metrics cover this many of the newest samples by default. */
    public static final int DEFAULT_WINDOW = 100_000;

    private final TrainingSession session;
    private final BatchAssembler assembler;
    private final MetricWindow window;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private long skipped;
    private long rejected;
    private float lastLoss = Float.NaN;

    public TrainingLoop(TrainingSession session, int windowSize) {
        this.session = session;
        ModelConfig config = session.config();
        this.assembler = new BatchAssembler(session.layout(), config.taskNames());
        this.window = metricWindow(config, windowSize);
    }

    /** The progressive-metrics window for {@code config}'s tasks (and its HIT@k, if any). */
    public static MetricWindow metricWindow(ModelConfig config, int size) {
        return config.hit() == null
                ? new MetricWindow(config.taskNames(), size)
                : new MetricWindow(config.taskNames(), size, config.hit().task(), config.hit().k());
    }

    public TrainingLoop addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Trains on one batch; null when no sample of it was readable. */
    public StepResult train(List<Sample> samples) {
        BatchAssembler.Assembled assembled = assembler.assemble(samples);
        if (!assembled.rejected().isEmpty()) {
            rejected += assembled.rejected().size();
            listeners.forEach(l -> l.onRejected(assembled.rejected()));
        }
        if (assembled.batch().size() == 0) {
            return null;
        }
        StepResult result = session.step(assembled.batch());
        lastLoss = result.loss();
        if (result.applied()) {
            window.addBatch(
                    assembled.batch().requestIds(),
                    result.probabilities(),
                    assembled.batch().labels(),
                    assembled.batch().labelMask(),
                    assembled.batch().weights(),
                    result.samples());
        } else {
            skipped++;
        }
        listeners.forEach(l -> l.onStep(session, assembled.batch(), result));
        return result;
    }

    public TrainingResult run(Iterator<List<Sample>> batches) {
        long start = System.nanoTime();
        while (batches.hasNext()) {
            train(batches.next());
        }
        return result((System.nanoTime() - start) / 1e9);
    }

    public TrainingResult result(double seconds) {
        return new TrainingResult(
                session.steps(),
                skipped,
                session.samples(),
                rejected,
                lastLoss,
                window.taskMetrics(),
                window.hitTask().isPresent() ? window.hit() : null,
                seconds);
    }

    public MetricWindow window() {
        return window;
    }
}
