/**
 * Plots without dependencies: {@link dev.frelon.train.plot.LinePlot} (training curves) and
 * {@link dev.frelon.train.plot.ScatterPlot} (data, fitted curves, decision regions) as SVG built from plain
 * strings, and {@link dev.frelon.train.plot.ImageGrid} as PNG through {@code javax.imageio}. Files are written
 * atomically: to a temporary file in the target directory, then moved over the target.
 */
package dev.frelon.train.plot;
