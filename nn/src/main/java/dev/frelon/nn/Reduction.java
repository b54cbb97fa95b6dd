package dev.frelon.nn;

/** How a loss combines its per-element values. */
public enum Reduction {
    /** The mean (weighted where the loss has weights). */ MEAN,
    /** The sum. */ SUM,
    /** No reduction: one loss per element. */ NONE
}
