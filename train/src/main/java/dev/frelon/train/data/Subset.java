package dev.frelon.train.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The examples of a base dataset at a list of indices (a view: nothing is copied). Batches are gathered by the
 * base dataset, so a subset of a {@link TensorDataset} keeps its fast path.
 */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    /**
     * Creates the view; example {@code k} of the subset is example {@code indices[k]} of {@code base}.
     *
     * @param base the dataset to draw from
     * @param indices indices into {@code base}, each in {@code [0, base.size())}; the array is copied
     * @throws NullPointerException when {@code base} or {@code indices} is null
     * @throws IndexOutOfBoundsException when an index is out of range for {@code base}
     */
    public Subset(Dataset base, int[] indices) {
        this.base = Objects.requireNonNull(base, "Subset: base dataset is null");
        this.indices = indices.clone();
        int n = base.size();
        for (int k = 0; k < this.indices.length; k++) {
            int i = this.indices[k];
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("Subset: index " + i + " at position " + k
                        + " is out of range for a base dataset of size " + n);
            }
        }
    }

    /**
     * The underlying dataset, which does the actual reads and batch gathers.
     *
     * @return the dataset this subset draws from
     */
    public Dataset base() {
        return base;
    }

    /**
     * The indices into {@link #base()} that this subset exposes, in order.
     *
     * @return a copy of the indices into the base dataset
     */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int i) {
        return base.get(indices[check("get", i)]);
    }

    @Override
    public Batch gather(int[] positions) {
        int[] mapped = new int[positions.length];
        for (int k = 0; k < positions.length; k++) {
            mapped[k] = indices[check("gather", positions[k])];
        }
        return base.gather(mapped);
    }

    private int check(String op, int i) {
        if (i < 0 || i >= indices.length) {
            throw new IndexOutOfBoundsException("Subset." + op + ": index " + i + " is out of range for a subset of "
                    + indices.length + " examples");
        }
        return i;
    }

    @Override
    public String toString() {
        return "Subset[" + indices.length + " of " + base.size() + ": "
                + Arrays.toString(Arrays.copyOf(indices, Math.min(8, indices.length)))
                + (indices.length > 8 ? "...]" : "]");
    }
}
