package dev.frelon.core;

import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.ReductionKernels;

import java.util.Arrays;

/**
 * Runs {@link Tensor}'s reductions (sum, mean, max, min, their arg- forms, variance) with one piece of machinery:
 * the reduced dims are moved last, that layout is made dense, and each dense run is handed to a row reducer on the
 * shared pool. Apart from Tensor so that each reduction there is one line naming its reducer.
 */
final class Reductions {

    private Reductions() {
    }

    /** Reduces one dense run {@code a[off .. off+n)} to a value. */
    @FunctionalInterface
    interface RowReducer {
        float reduce(float[] a, int off, int n);
    }

    private static ReductionKernels rk() {
        return ReductionKernels.CHOSEN;
    }

    /**
     * Reduces {@code x} over {@code dims} (null: all), one run of the reduced elements at a time.
     *
     * @param emptyAllowed whether a reduction over no elements is defined (a sum) or refused (a maximum)
     */
    static Tensor reduce(Tensor x, String op, int[] dims, boolean keepDim, boolean emptyAllowed, RowReducer r) {
        int[] shape = x.shape;
        boolean[] mask = dims == null ? allDims(shape.length) : Shape.dimMask(op, dims, shape.length);
        int rank = shape.length;
        int[] order = new int[rank];
        int k = 0, reduced = 1;
        for (int d = 0; d < rank; d++) {
            if (!mask[d]) {
                order[k++] = d;
            }
        }
        int kept = k;
        for (int d = 0; d < rank; d++) {
            if (mask[d]) {
                order[k++] = d;
                reduced *= shape[d];
            }
        }
        if (reduced == 0 && !emptyAllowed) {
            throw new IllegalArgumentException(op + ": cannot reduce over an empty dim (shape " + Shape.str(shape) + ")");
        }
        int[] outShape = new int[keepDim ? rank : kept];
        for (int d = 0, j = 0; d < rank; d++) {
            if (!mask[d]) {
                outShape[keepDim ? d : j++] = shape[d];
            } else if (keepDim) {
                outShape[d] = 1;
            }
        }
        Tensor src = x.permute(order).contiguous();
        Tensor out = Tensor.zeros(outShape);
        int rows = out.data.length;
        int run = reduced;
        Parallel.forRange(0, rows, Math.max(1, (1 << 15) / Math.max(1, run)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                out.data[i] = r.reduce(src.data, src.offset + i * run, run);
            }
        });
        return out;
    }

    private static boolean[] allDims(int rank) {
        boolean[] m = new boolean[rank];
        Arrays.fill(m, true);
        return m;
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        return reduce(x, "sum", dims, keepDim, true, rk()::sum);
    }

    /** The mean of all elements: the sum divided by the element count. */
    static Tensor mean(Tensor x) {
        int n = x.numel();
        return reduce(x, "mean", null, false, true, (a, o, len) -> rk().sum(a, o, len) / n);
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        return reduce(x, "mean", dims, keepDim, true, (a, o, len) -> rk().sum(a, o, len) / len);
    }

    static Tensor max(Tensor x, int[] dims, boolean keepDim) {
        return reduce(x, "max", dims, keepDim, false, rk()::max);
    }

    static Tensor min(Tensor x, int[] dims, boolean keepDim) {
        return reduce(x, "min", dims, keepDim, false, rk()::min);
    }

    static Tensor argmax(Tensor x, int dim, boolean keepDim) {
        return reduce(x, "argmax", new int[] {dim}, keepDim, false, (a, o, n) -> argBest(a, o, n, true));
    }

    static Tensor argmin(Tensor x, int dim, boolean keepDim) {
        return reduce(x, "argmin", new int[] {dim}, keepDim, false, (a, o, n) -> argBest(a, o, n, false));
    }

    /** The position of the largest (or smallest) value of a run, the first on ties; a NaN wins at once. */
    private static float argBest(float[] a, int off, int n, boolean max) {
        int best = 0;
        float bv = a[off];
        for (int i = 1; i < n && !Float.isNaN(bv); i++) {
            float v = a[off + i];
            if (Float.isNaN(v) || (max ? v > bv : v < bv)) {
                best = i;
                bv = v;
            }
        }
        return best;
    }

    static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        return reduce(x, "var", dims, keepDim, true, (a, o, n) -> {
            float mean = rk().sum(a, o, n) / n;
            return rk().sumSquaredDeviation(a, o, n, mean) / Math.max(0, n - correction);
        });
    }
}
