package dev.freshet.manifest;

/**
 * The contract's per-task metrics over one evaluation window, as one value so it can be logged or
 * written out as a row.
 *
 * @param task the task name, e.g. {@code "save"}
 * @param samples how many samples had a label for this task (zero-weight samples included)
 * @param auc weighted ROC AUC, see {@link Auc}; NaN with a single class
 * @param logLoss weighted log loss, see {@link LogLoss}; NaN with zero total weight
 * @param calibration mean prediction / mean label, see {@link Calibration}; NaN without positives
 * @param meanPrediction weighted mean predicted probability; NaN with zero total weight
 * @param meanLabel weighted mean label; NaN with zero total weight
 */
public record TaskMetrics(
        String task,
        long samples,
        double auc,
        double logLoss,
        double calibration,
        double meanPrediction,
        double meanLabel) {}
