package dev.frelon.train.data;

import dev.frelon.core.Tensor;

import java.util.Objects;

/**
 * One example of a dataset: an input and its target.
 *
 * @param x the input (for example an image {@code [1, 28, 28]} or a feature vector {@code [F]})
 * @param y the target (for example a 0-d class index or a vector of regression targets)
 */
public record Example(Tensor x, Tensor y) {

    /**
     * Checks that both tensors are present; their shapes are not constrained.
     *
     * @param x the input, not null
     * @param y the target, not null
     * @throws NullPointerException when {@code x} or {@code y} is null
     */
    public Example {
        Objects.requireNonNull(x, "Example: x is null");
        Objects.requireNonNull(y, "Example: y is null");
    }
}
