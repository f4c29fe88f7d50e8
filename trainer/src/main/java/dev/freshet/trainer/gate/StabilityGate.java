package dev.freshet.trainer.gate;

import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.trainer.embedding.EmbeddingTable;
import dev.freshet.trainer.embedding.RowSparseOptimizer;
import dev.freshet.trainer.model.Param;
import dev.freshet.trainer.train.TrainingSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stability gate a candidate must pass before it is published (PRODUCT.md section 6): finite
 * and bounded state, reproducible training, predictions that do not drift from the published model,
 * and quality not worse than it. Each check returns its inputs and verdict for the manifest. (The
 * fourth check of the contract, loss spikes, acts per step: {@link LossSpikeDetector}.)
 */
public final class StabilityGate {

    private final GateConfig config;

    public StabilityGate(GateConfig config) {
        this.config = config;
    }

    public GateConfig config() {
        return config;
    }

    /** What the replay of the interval's first steps from the parent checkpoint produced. */
    public record ReplayOutcome(
            int steps,
            double maxParameterDifference,
            double maxProbeDifference,
            boolean bitIdentical) {}

    /** The published model's numbers a candidate is compared with; null fields when unknown. */
    public record Published(
            String version,
            long trainedSamples,
            float[] probePredictions,
            Map<String, TaskMetrics> metrics) {}

    /** Runs every check; the candidate passes when none fails. */
    public List<CheckResult> evaluate(
            TrainingSession session,
            double maxGradientNorm,
            ReplayOutcome replay,
            float[] probePredictions,
            List<TaskMetrics> window,
            Published published) {
        List<CheckResult> results = new ArrayList<>();
        results.add(finite(session, maxGradientNorm));
        results.add(replay(replay));
        results.add(predictionDrift(probePredictions, published));
        results.add(quality(window, published));
        return results;
    }

    /** {@link #finite(TrainingSession, double)} without a gradient norm to report. */
    public CheckResult finite(TrainingSession session) {
        return finite(session, 0);
    }

    /**
     * No NaN or infinity, and nothing beyond the magnitude bound, anywhere in the state; the
     * largest gradient norm of the interval's applied steps is recorded (steps with a non-finite
     * one were never applied).
     */
    public CheckResult finite(TrainingSession session, double maxGradientNorm) {
        Scan scan = new Scan(config.maxAbsParameter());
        List<Param> params = session.network().params().all();
        for (Param p : params) {
            scan.add(p.name(), p.array().toFloatArray());
        }
        for (int i = 0; i < params.size(); i++) {
            scan.add(
                    "adam.m." + params.get(i).name(),
                    session.denseOptimizer().firstMoments().get(i).toFloatArray());
            scan.add(
                    "adam.v." + params.get(i).name(),
                    session.denseOptimizer().secondMoments().get(i).toFloatArray());
        }
        List<EmbeddingTable> tables = session.embeddings().tables();
        for (int f = 0; f < tables.size(); f++) {
            scan.add("embedding." + tables.get(f).name(), tables.get(f).weights());
            RowSparseOptimizer o = session.embeddings().optimizers().get(f);
            for (Map.Entry<String, Object> e : o.state().entrySet()) {
                if (e.getValue() instanceof float[] a) {
                    scan.add("embedding." + tables.get(f).name() + "." + e.getKey(), a);
                }
            }
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("values_checked", scan.count);
        inputs.put("non_finite", scan.nonFinite);
        inputs.put("max_abs", scan.maxAbs);
        inputs.put("max_abs_bound", config.maxAbsParameter());
        inputs.put("max_gradient_norm", maxGradientNorm);
        boolean passed =
                scan.nonFinite == 0
                        && scan.maxAbs <= config.maxAbsParameter()
                        && Double.isFinite(maxGradientNorm);
        return CheckResult.of(
                "finite",
                passed,
                inputs,
                passed
                        ? "all values finite and bounded"
                        : scan.nonFinite
                                + " non-finite values, largest |x| "
                                + scan.maxAbs
                                + " in "
                                + scan.worst);
    }

    /**
     * Training the interval's first steps again from the parent checkpoint gives the same state.
     */
    public CheckResult replay(ReplayOutcome outcome) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        if (outcome == null || outcome.steps() == 0) {
            return new CheckResult(
                    "reproducibility", CheckResult.Verdict.SKIPPED, inputs, "nothing to replay");
        }
        inputs.put("replayed_steps", outcome.steps());
        inputs.put("max_parameter_difference", outcome.maxParameterDifference());
        inputs.put("max_probe_difference", outcome.maxProbeDifference());
        inputs.put("bit_identical", outcome.bitIdentical());
        inputs.put("tolerance", config.replayTolerance());
        boolean passed =
                outcome.maxParameterDifference() <= config.replayTolerance()
                        && outcome.maxProbeDifference() <= config.replayTolerance();
        return CheckResult.of(
                "reproducibility",
                passed,
                inputs,
                passed
                        ? "replay from the parent reproduced the parameters"
                        : "replay from the parent diverged: parameters differ by up to "
                                + outcome.maxParameterDifference());
    }

    /** Probe-set predictions moved little from the published model's. */
    public CheckResult predictionDrift(float[] candidate, Published published) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        CheckResult young = tooYoung("prediction_drift", published, inputs);
        if (young != null) {
            return young;
        }
        if (published == null
                || published.probePredictions() == null
                || candidate == null
                || published.probePredictions().length != candidate.length
                || candidate.length == 0) {
            return new CheckResult(
                    "prediction_drift",
                    CheckResult.Verdict.SKIPPED,
                    inputs,
                    "no published model with the same probe set to compare with");
        }
        double sum = 0;
        double max = 0;
        for (int i = 0; i < candidate.length; i++) {
            double d = Math.abs(candidate[i] - published.probePredictions()[i]);
            sum += d;
            max = Math.max(max, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
        }
        double mean = sum / candidate.length;
        inputs.put("against", published.version());
        inputs.put("probe_predictions", candidate.length);
        inputs.put("mean_abs_change", mean);
        inputs.put("max_abs_change", max);
        inputs.put("bound", config.maxPredictionDrift());
        boolean passed = mean <= config.maxPredictionDrift();
        return CheckResult.of(
                "prediction_drift",
                passed,
                inputs,
                String.format(
                        java.util.Locale.ROOT,
                        "probe predictions moved %.4f on average (bound %.4f)",
                        mean,
                        config.maxPredictionDrift()));
    }

    /** Progressive AUC and log loss per task are not worse than the published model's. */
    public CheckResult quality(List<TaskMetrics> window, Published published) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        CheckResult young = tooYoung("quality", published, inputs);
        if (young != null) {
            return young;
        }
        if (published == null || published.metrics() == null || published.metrics().isEmpty()) {
            return new CheckResult(
                    "quality", CheckResult.Verdict.SKIPPED, inputs, "no published model yet");
        }
        inputs.put("against", published.version());
        inputs.put("max_auc_drop", config.maxAucDrop());
        inputs.put("max_log_loss_increase", config.maxLogLossIncrease());
        inputs.put("min_quality_positives", config.minQualityPositives());
        List<String> failures = new ArrayList<>();
        List<String> tooRare = new ArrayList<>();
        int judged = 0;
        for (TaskMetrics now : window) {
            TaskMetrics before = published.metrics().get(now.task());
            if (before == null
                    || now.samples() < config.minQualitySamples()
                    || Double.isNaN(now.auc())
                    || Double.isNaN(before.auc())) {
                continue;
            }
            if (positives(now) < config.minQualityPositives()
                    || positives(before) < config.minQualityPositives()) {
                tooRare.add(now.task());
                continue;
            }
            judged++;
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("auc", now.auc());
            task.put("published_auc", before.auc());
            task.put("log_loss", now.logLoss());
            task.put("published_log_loss", before.logLoss());
            task.put("samples", now.samples());
            inputs.put(now.task(), task);
            if (now.auc() < before.auc() - config.maxAucDrop()) {
                failures.add(now.task() + " AUC " + now.auc() + " < " + before.auc());
            }
            if (now.logLoss() > before.logLoss() * (1 + config.maxLogLossIncrease())) {
                failures.add(now.task() + " log loss " + now.logLoss() + " > " + before.logLoss());
            }
        }
        if (!tooRare.isEmpty()) {
            inputs.put("too_few_positives", tooRare);
        }
        if (judged == 0) {
            return new CheckResult(
                    "quality",
                    CheckResult.Verdict.SKIPPED,
                    inputs,
                    "too few samples with both classes to judge");
        }
        return CheckResult.of(
                "quality",
                failures.isEmpty(),
                inputs,
                failures.isEmpty()
                        ? "not worse than " + published.version()
                        : String.join("; ", failures));
    }

    /** Positive labels in a window (weighted: what the metric saw). */
    private static long positives(TaskMetrics m) {
        return Double.isNaN(m.meanLabel()) ? 0 : Math.round(m.samples() * m.meanLabel());
    }

    private CheckResult tooYoung(String check, Published published, Map<String, Object> inputs) {
        if (published != null && published.trainedSamples() < config.minTrainedSamples()) {
            inputs.put("published_trained_samples", published.trainedSamples());
            inputs.put("min_trained_samples", config.minTrainedSamples());
            return new CheckResult(
                    check,
                    CheckResult.Verdict.SKIPPED,
                    inputs,
                    "the published model is too young to compare with");
        }
        return null;
    }

    /** Counts non-finite and the largest magnitude over many arrays. */
    private static final class Scan {
        final double bound;
        long count;
        long nonFinite;
        double maxAbs;
        String worst = "";

        Scan(double bound) {
            this.bound = bound;
        }

        void add(String name, float[] values) {
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    nonFinite++;
                    worst = name;
                } else if (Math.abs(v) > maxAbs) {
                    maxAbs = Math.abs(v);
                    if (maxAbs > bound) {
                        worst = name;
                    }
                }
            }
            count += values.length;
        }
    }
}
