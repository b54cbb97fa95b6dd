package dev.frelon.core;

/**
 * How a loss combines its per-element values, as PyTorch's {@code reduction='mean'|'sum'|'none'}. One enum
 * serves every loss: {@link CrossEntropy} and those of the nn module's {@code Losses}.
 */
public enum Reduction {
    /** The mean over elements (for a weighted loss, the weighted sum divided by the sum of the weights used). */ MEAN,
    /** The sum over elements. */ SUM,
    /** No reduction: one loss per element (per sample for class losses). */ NONE
}
