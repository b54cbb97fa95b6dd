package dev.frelon.core;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Runs {@link Tensor#topk} and {@link Tensor#sort}: the dim moves last, each row's positions are sorted (stably, so
 * equal values keep their order), and the values are gathered at the chosen positions. The order is PyTorch's: NaN
 * above every number, and -0.0 equal to 0.0.
 */
final class Sorting {

    private Sorting() {
    }

    /** The positions of the {@code k} largest (or smallest) values along {@code dim}, in order, as int64. */
    static IndexedValues<Tensor> topk(Tensor x, String op, int k, int dim, boolean largest) {
        int d = Shape.dim(op, dim, Math.max(1, x.shape.length));
        int n = x.shape.length == 0 ? 1 : x.shape[d];
        if (k < 0 || k > n) {
            throw new IllegalArgumentException(op + ": k = " + k + " is out of range for dim " + dim + " of size " + n
                    + " (shape " + Shape.str(x.shape) + ")");
        }
        if (x.shape.length == 0) {
            // A 0-d tensor is one row of one value: k = 1 gives it back with index 0, k = 0 gives nothing.
            IndexedValues<Tensor> one = topk(x.reshape(1), op, k, 0, largest);
            return k == 1 ? new IndexedValues<>(one.values().reshape(), one.indices().reshape()) : one;
        }
        int last = x.shape.length - 1;
        Tensor rows = x.transpose(d, last).contiguous();
        int count = n == 0 ? 0 : rows.numel() / n;
        int[] outShape = rows.shape.clone();
        outShape[last] = k;
        Tensor idx = Tensor.zeros(op, DType.INT64, outShape);
        long[] out = (long[]) idx.store;
        Comparator<Integer> order = order(rows, largest);
        Integer[] pos = new Integer[n];
        for (int r = 0; r < count; r++) {
            int base = rows.offset + r * n;
            for (int i = 0; i < n; i++) {
                pos[i] = base + i;
            }
            Arrays.sort(pos, order); // stable: equal values keep their positions' order
            for (int i = 0; i < k; i++) {
                out[r * k + i] = pos[i] - base;
            }
        }
        Tensor indices = idx.transpose(d, last).contiguous();
        return new IndexedValues<>(x.gather(d, indices), indices);
    }

    /** Orders storage positions of {@code rows} by value: descending when {@code largest}, NaN above every number. */
    private static Comparator<Integer> order(Tensor rows, boolean largest) {
        Comparator<Integer> ascending;
        if (rows.dtype.isFloatingPoint()) {
            ascending = (i, j) -> {
                double a = Elements.getDouble(rows.dtype, rows.store, i), b = Elements.getDouble(rows.dtype, rows.store, j);
                boolean na = Double.isNaN(a), nb = Double.isNaN(b);
                return na || nb ? Boolean.compare(na, nb) : Double.compare(a + 0.0, b + 0.0); // + 0.0: -0.0 == 0.0
            };
        } else {
            ascending = (i, j) -> Long.compare(Elements.getLong(rows.dtype, rows.store, i),
                    Elements.getLong(rows.dtype, rows.store, j));
        }
        return largest ? (i, j) -> ascending.compare(j, i) : ascending;
    }
}
