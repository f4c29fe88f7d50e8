package dev.freshet.flink.features;

/**
 * One subtask's fit of the trailing window, shipped to the spec publisher.
 *
 * @param subtask the sending subtask; the publisher keeps the newest partial of each
 * @param samples samples in the fit
 * @param fitter the fitter's byte form ({@code FeatureFitter.toBytes})
 */
public record FitPartial(int subtask, long samples, byte[] fitter) {}
