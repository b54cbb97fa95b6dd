package dev.frelon.core;

import java.util.Objects;

/**
 * The values of a max, min, top-k or sort along a dim and the positions they came from, as PyTorch's
 * {@code torch.max(x, dim)} and {@code torch.topk} return them: {@code values[i] = x[..., indices[i], ...]} along
 * that dim. Both have the same shape (for max and min the input's, with the reduced dim removed or kept with size
 * 1). Indices are the first position on ties, and a NaN counts as the extremum.
 *
 * <pre>{@code
 * var best = logits.max(1);             // [N, C] -> values [N], indices [N]
 * Tensor predicted = best.indices();
 * }</pre>
 *
 * @param values the extreme values: a {@link Tensor}, or a differentiable value in the autodiff module
 * @param indices their positions along the reduced dim, an int64 tensor
 * @param <V> the type of the values
 */
public record IndexedValues<V>(V values, Tensor indices) {
    /** Checks that neither part is missing. */
    public IndexedValues {
        Objects.requireNonNull(values, "IndexedValues: values must not be null");
        Objects.requireNonNull(indices, "IndexedValues: indices must not be null");
    }
}
