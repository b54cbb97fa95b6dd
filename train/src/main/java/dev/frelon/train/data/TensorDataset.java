package dev.frelon.train.data;

import dev.frelon.core.DType;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory dataset over two tensors whose dim 0 indexes the examples: features {@code [N, ...]} and
 * targets {@code [N]} or {@code [N, ...]}.
 *
 * <p>Both tensors are made contiguous once, at construction (no copy when they already are, so later writes to
 * them are seen by the dataset). {@link #get} returns views of one row; {@link #gather} copies whole rows of
 * the contiguous storage with {@link System#arraycopy} into new batch tensors, creating no per-example
 * objects.
 */
public final class TensorDataset implements Dataset {
    private final Tensor features;
    private final Tensor targets;
    private final int n;
    private final int xRow;
    private final int yRow;

    /**
     * Creates the dataset, making both tensors contiguous (a copy only when one is not already).
     *
     * @param features the inputs, at least 1-d; dim 0 indexes the examples
     * @param targets the targets, at least 1-d, with the same size of dim 0 as {@code features}
     * @throws NullPointerException when either tensor is null
     * @throws IllegalArgumentException when either is 0-d or their sizes of dim 0 differ
     */
    public TensorDataset(Tensor features, Tensor targets) {
        Objects.requireNonNull(features, "TensorDataset: features is null");
        Objects.requireNonNull(targets, "TensorDataset: targets is null");
        if (features.dim() == 0 || targets.dim() == 0) {
            throw new IllegalArgumentException("TensorDataset: features and targets must be at least 1-d "
                    + "(dim 0 indexes the examples), got features shape " + Arrays.toString(features.shape())
                    + " and targets shape " + Arrays.toString(targets.shape()));
        }
        if (features.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("TensorDataset: features have " + features.size(0)
                    + " examples (shape " + Arrays.toString(features.shape()) + ") but targets have "
                    + targets.size(0) + " (shape " + Arrays.toString(targets.shape()) + ")");
        }
        this.features = features.contiguous();
        this.targets = targets.contiguous();
        this.n = features.size(0);
        this.xRow = rowSize(features);
        this.yRow = rowSize(targets);
    }

    private static int rowSize(Tensor t) {
        int r = 1;
        for (int d = 1; d < t.dim(); d++) {
            r *= t.size(d);
        }
        return r;
    }

    /**
     * The inputs of all examples, the tensor batches are copied from.
     *
     * @return the features tensor {@code [N, ...]} (contiguous)
     */
    public Tensor features() {
        return features;
    }

    /**
     * The targets of all examples, the tensor batches are copied from.
     *
     * @return the targets tensor {@code [N]} or {@code [N, ...]} (contiguous)
     */
    public Tensor targets() {
        return targets;
    }

    @Override
    public int size() {
        return n;
    }

    /**
     * Returns row {@code i} of both tensors as views that share their storage (no copy).
     *
     * @param i the index, in {@code [0, size())}
     * @return views of row {@code i} of the features and the targets (a 0-d target when targets are
     *     {@code [N]})
     */
    @Override
    public Example get(int i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("TensorDataset.get: index " + i + " is out of range for "
                    + n + " examples");
        }
        return new Example(features.select(0, i), targets.select(0, i));
    }

    @Override
    public Batch gather(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("TensorDataset.gather: needs at least one index");
        }
        if (features.dtype() != DType.FLOAT32 || targets.dtype() != DType.FLOAT32) {
            // int64 labels (or other dtypes): checked, then gathered by indexSelect, which keeps each dtype.
            for (int k = 0; k < indices.length; k++) {
                if (indices[k] < 0 || indices[k] >= n) {
                    throw new IndexOutOfBoundsException("TensorDataset.gather: index " + indices[k] + " at position "
                            + k + " is out of range for " + n + " examples");
                }
            }
            return new Batch(features.indexSelect(0, indices), targets.indexSelect(0, indices));
        }
        float[] fx = TensorStorage.array(features);
        float[] fy = TensorStorage.array(targets);
        int ox = TensorStorage.offset(features);
        int oy = TensorStorage.offset(targets);
        float[] bx = new float[Math.multiplyExact(indices.length, xRow)];
        float[] by = new float[Math.multiplyExact(indices.length, yRow)];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("TensorDataset.gather: index " + i + " at position " + k
                        + " is out of range for " + n + " examples");
            }
            System.arraycopy(fx, ox + i * xRow, bx, k * xRow, xRow);
            System.arraycopy(fy, oy + i * yRow, by, k * yRow, yRow);
        }
        int[] xs = features.shape();
        int[] ys = targets.shape();
        xs[0] = indices.length;
        ys[0] = indices.length;
        return new Batch(Tensor.wrap(bx, xs), Tensor.wrap(by, ys));
    }

    @Override
    public String toString() {
        return "TensorDataset[" + n + " examples, features " + Arrays.toString(features.shape()) + ", targets "
                + Arrays.toString(targets.shape()) + "]";
    }
}
