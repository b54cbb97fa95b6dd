/**
 * The optional training helper: {@link dev.frelon.train.fit.Trainer} runs the usual loop (forward, loss,
 * backward, step) over epochs with metrics, history, early stopping, checkpoints, progress and a compute
 * report. Users can always write the loop themselves; the helper adds nothing the loop could not do.
 */
package dev.frelon.train.fit;
