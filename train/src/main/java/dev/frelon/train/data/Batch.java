package dev.frelon.train.data;

import dev.frelon.core.Tensor;

import java.util.Objects;

/**
 * A mini-batch: inputs and targets stacked along a new leading dim of size {@link #size()}.
 *
 * @param x the inputs, shape {@code [B, ...]}
 * @param y the targets, shape {@code [B]} or {@code [B, ...]}
 */
public record Batch(Tensor x, Tensor y) {

    /**
     * Checks that both tensors are present and share their leading (batch) size.
     *
     * @param x the inputs, not null, at least 1-d
     * @param y the targets, not null, at least 1-d, with the same leading size as {@code x}
     * @throws NullPointerException when {@code x} or {@code y} is null
     * @throws IllegalArgumentException when either is 0-d or their leading sizes differ
     */
    public Batch {
        Objects.requireNonNull(x, "Batch: x is null");
        Objects.requireNonNull(y, "Batch: y is null");
        if (x.dim() == 0 || y.dim() == 0 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("Batch: x and y need the same leading (batch) size, got x shape "
                    + java.util.Arrays.toString(x.shape()) + " and y shape " + java.util.Arrays.toString(y.shape()));
        }
    }

    /**
     * The batch size B, the leading dim of {@link #x()} and {@link #y()}.
     *
     * @return the number of examples in the batch
     */
    public int size() {
        return x.size(0);
    }
}
