/**
 * What a training run cost: {@link dev.frelon.train.report.ComputeMeter} and
 * {@link dev.frelon.train.report.ComputeReport} (throughput, CPU time, FLOPs, and an energy and CO2e
 * estimate from stated assumptions), and {@link dev.frelon.train.report.ProgressBar} for progress on a
 * terminal or in CI logs.
 */
package dev.frelon.train.report;
