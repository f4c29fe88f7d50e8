/**
 * Evaluation metrics for the multi-task ranking model, computed from plain primitive arrays so they
 * can run on every training step without touching the tensor engine.
 *
 * <p>The product contract asks for per-task AUC ({@link dev.freshet.trainer.metrics.Auc}), log loss
 * ({@link dev.freshet.trainer.metrics.LogLoss}), calibration ({@link
 * dev.freshet.trainer.metrics.Calibration}), HIT@3/save ({@link
 * dev.freshet.trainer.metrics.HitAtK}) and reproducibility as the spread of HIT@3/save across runs
 * ({@link dev.freshet.trainer.metrics.Reproducibility}). Evaluation is progressive: each batch is
 * scored before the model trains on it, and the scores go into a bounded {@link
 * dev.freshet.trainer.metrics.MetricWindow} over which the metrics are reported.
 *
 * <p>Conventions shared by all classes: only the first {@code n} entries of each array are read (so
 * callers can reuse oversized buffers); a {@code null} weight array means every weight is 1;
 * weights must be finite and non-negative and labels must lie in [0, 1], otherwise an {@link
 * java.lang.IllegalArgumentException} is thrown, because a bad label is a data bug that should fail
 * loudly. A NaN <em>prediction</em>, on the other hand, yields a NaN metric rather than an
 * exception, so a diverging model shows up in the metrics instead of killing the trainer.
 */
package dev.freshet.trainer.metrics;
