/**
 * What the trainer tells the outside world about itself: {@link
 * dev.freshet.trainer.observe.TrainerMetrics} keeps the Prometheus meters the training loop, gating
 * and publishing update, and {@link dev.freshet.trainer.observe.MetricsServer} serves them on
 * {@code /metrics} next to the {@code /healthz} and {@code /readyz} probes.
 *
 * <p>Every exported name starts with {@code freshet_trainer_}; the JVM and process meters keep
 * Micrometer's standard names ({@code jvm_*}, {@code process_*}, {@code system_*}). Label values
 * are bounded: reasons and gate checks are short fixed codes, anything else is reported as {@code
 * other}.
 */
package dev.freshet.trainer.observe;
