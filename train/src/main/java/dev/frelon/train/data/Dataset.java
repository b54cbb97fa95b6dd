package dev.frelon.train.data;

import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * A finite, indexable collection of {@link Example}s. Implementations must allow {@link #get} to be called
 * from a thread other than the one that created the dataset (the {@link DataLoader} prefetches on a background
 * thread), one call at a time.
 */
public interface Dataset {

    /**
     * The number of examples; valid indices are {@code 0} to {@code size() - 1}.
     *
     * @return the number of examples, at least 0
     */
    int size();

    /**
     * Returns one example; may be called from the {@link DataLoader}'s prefetch thread.
     *
     * @param i the index, in {@code [0, size())}
     * @return the example at that index
     * @throws IndexOutOfBoundsException when {@code i} is out of range
     */
    Example get(int i);

    /**
     * Gathers the examples at the given indices into one batch. The default stacks the results of
     * {@link #get}, which must all have the same input shape and the same target shape;
     * {@link TensorDataset} overrides it with a row copy that creates no per-example objects.
     *
     * @param indices the example indices, at least one
     * @return the batch, with leading size {@code indices.length}
     */
    default Batch gather(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("Dataset.gather: needs at least one index");
        }
        Tensor[] xs = new Tensor[indices.length];
        Tensor[] ys = new Tensor[indices.length];
        for (int k = 0; k < indices.length; k++) {
            Example e = get(indices[k]);
            if (k > 0 && (!Arrays.equals(e.x().shape(), xs[0].shape()) || !Arrays.equals(e.y().shape(), ys[0].shape()))) {
                throw new IllegalArgumentException("Dataset.gather: example " + indices[k] + " has x shape "
                        + Arrays.toString(e.x().shape()) + " and y shape " + Arrays.toString(e.y().shape())
                        + ", but example " + indices[0] + " has x shape " + Arrays.toString(xs[0].shape())
                        + " and y shape " + Arrays.toString(ys[0].shape()) + "; a batch needs equal shapes");
            }
            xs[k] = e.x();
            ys[k] = e.y();
        }
        return new Batch(Tensor.stack(0, xs), Tensor.stack(0, ys));
    }

    /**
     * A view of some of this dataset's examples, in the given order (no data is copied).
     *
     * @param indices indices into this dataset; repeats are allowed
     * @return the subset
     */
    default Dataset subset(int[] indices) {
        return new Subset(this, indices);
    }
}
