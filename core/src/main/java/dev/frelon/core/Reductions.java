package dev.frelon.core;

import dev.frelon.core.kernel.Float64Kernels;
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

    /** Reduces one dense float32 run {@code a[off .. off+n)} to a value. */
    @FunctionalInterface
    interface RowReducer {
        float reduce(float[] a, int off, int n);
    }

    /** Reduces one dense run {@code src[off .. off+n)} of any dtype into element {@code row} of {@code out}. */
    @FunctionalInterface
    interface RowWriter {
        void reduce(Object src, int off, int n, Object out, int row);
    }

    private static ReductionKernels rk() {
        return ReductionKernels.CHOSEN;
    }

    /** {@link #reduceInto} for float32 rows reduced to float32 values. */
    static Tensor reduce(Tensor x, String op, int[] dims, boolean keepDim, boolean emptyAllowed, RowReducer r) {
        return reduceInto(x, op, dims, keepDim, emptyAllowed, DType.FLOAT32,
                (src, off, n, out, row) -> ((float[]) out)[row] = r.reduce((float[]) src, off, n));
    }

    /**
     * Reduces {@code x} over {@code dims} (null: all), one run of the reduced elements at a time, into a new tensor
     * of {@code outType}.
     *
     * @param emptyAllowed whether a reduction over no elements is defined (a sum) or refused (a maximum)
     */
    static Tensor reduceInto(Tensor x, String op, int[] dims, boolean keepDim, boolean emptyAllowed, DType outType,
                             RowWriter r) {
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
        Tensor out = Tensor.zeros(op, outType, outShape);
        int rows = out.numel();
        int run = reduced;
        Parallel.forRange(0, rows, Math.max(1, (1 << 15) / Math.max(1, run)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                r.reduce(src.store, src.offset + i * run, run, out.store, i);
            }
        });
        return out;
    }

    private static boolean[] allDims(int rank) {
        boolean[] m = new boolean[rank];
        Arrays.fill(m, true);
        return m;
    }

    /** The sum: float32 and float64 keep their dtype; integers and bools sum exactly into int64, as in PyTorch. */
    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        return switch (x.dtype) {
            case FLOAT32 -> reduce(x, "sum", dims, keepDim, true, rk()::sum);
            case FLOAT64 -> reduceInto(x, "sum", dims, keepDim, true, DType.FLOAT64, (src, off, n, out, row) ->
                    ((double[]) out)[row] = Float64Kernels.CHOSEN.sum((double[]) src, off, n));
            case INT64, INT32, BOOL -> reduceInto(x, "sum", dims, keepDim, true, DType.INT64, (src, off, n, out, row) -> {
                long t = 0;
                for (int i = 0; i < n; i++) {
                    t += Elements.getLong(x.dtype, src, off + i);
                }
                ((long[]) out)[row] = t;
            });
        };
    }

    /** The mean of all elements: the sum divided by the element count. */
    static Tensor mean(Tensor x) {
        return mean(x, null, false);
    }

    /** The mean over {@code dims}; floating dtypes only, as in PyTorch. */
    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        Elements.requireFloatingPoint("mean", x);
        if (x.dtype == DType.FLOAT64) {
            return reduceInto(x, "mean", dims, keepDim, true, DType.FLOAT64, (src, off, n, out, row) ->
                    ((double[]) out)[row] = Float64Kernels.CHOSEN.sum((double[]) src, off, n) / n);
        }
        return reduce(x, "mean", dims, keepDim, true, (a, o, len) -> rk().sum(a, o, len) / len);
    }

    static Tensor max(Tensor x, int[] dims, boolean keepDim) {
        return x.dtype == DType.FLOAT32 ? reduce(x, "max", dims, keepDim, false, rk()::max)
                : extreme(x, "max", dims, keepDim, true);
    }

    static Tensor min(Tensor x, int[] dims, boolean keepDim) {
        return x.dtype == DType.FLOAT32 ? reduce(x, "min", dims, keepDim, false, rk()::min)
                : extreme(x, "min", dims, keepDim, false);
    }

    /** max or min of a tensor that is not float32, in its own dtype (a NaN wins, as in PyTorch). */
    private static Tensor extreme(Tensor x, String op, int[] dims, boolean keepDim, boolean max) {
        DType t = x.dtype;
        return reduceInto(x, op, dims, keepDim, false, t, (src, off, n, out, row) -> {
            int best = off + best(t, src, off, n, max);
            Casts.convert(op, t, src, best, 1, t, out, row, 1, 1);
        });
    }

    static Tensor argmax(Tensor x, int dim, boolean keepDim) {
        return reduceInto(x, "argmax", new int[] {dim}, keepDim, false, DType.INT64,
                (src, off, n, out, row) -> ((long[]) out)[row] = best(x.dtype, src, off, n, true));
    }

    static Tensor argmin(Tensor x, int dim, boolean keepDim) {
        return reduceInto(x, "argmin", new int[] {dim}, keepDim, false, DType.INT64,
                (src, off, n, out, row) -> ((long[]) out)[row] = best(x.dtype, src, off, n, false));
    }

    /**
     * The position of the largest (or smallest) value of a run, the first on ties; a NaN wins at once. Floating
     * values compare as doubles (exact for both float types), integers and bools as longs.
     */
    private static int best(DType t, Object a, int off, int n, boolean max) {
        int best = 0;
        if (t == DType.FLOAT32) { // the common case (every batch's accuracy), read without a dispatch per element
            float[] f = (float[]) a;
            float bv = f[off];
            for (int i = 1; i < n && !Float.isNaN(bv); i++) {
                float v = f[off + i];
                if (Float.isNaN(v) || (max ? v > bv : v < bv)) {
                    best = i;
                    bv = v;
                }
            }
            return best;
        }
        if (t.isFloatingPoint()) {
            double bv = Elements.getDouble(t, a, off);
            for (int i = 1; i < n && !Double.isNaN(bv); i++) {
                double v = Elements.getDouble(t, a, off + i);
                if (Double.isNaN(v) || (max ? v > bv : v < bv)) {
                    best = i;
                    bv = v;
                }
            }
            return best;
        }
        long bv = Elements.getLong(t, a, off);
        for (int i = 1; i < n; i++) {
            long v = Elements.getLong(t, a, off + i);
            if (max ? v > bv : v < bv) {
                best = i;
                bv = v;
            }
        }
        return best;
    }

    /** The variance with a correction (1: Bessel's); floating dtypes only. */
    static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        Elements.requireFloatingPoint("var", x);
        if (x.dtype == DType.FLOAT64) {
            return reduceInto(x, "var", dims, keepDim, true, DType.FLOAT64, (src, off, n, out, row) -> {
                double[] a = (double[]) src;
                double mean = Float64Kernels.CHOSEN.sum(a, off, n) / n, ss = 0;
                for (int i = 0; i < n; i++) {
                    double d = a[off + i] - mean;
                    ss += d * d;
                }
                ((double[]) out)[row] = ss / Math.max(0, n - correction);
            });
        }
        return reduce(x, "var", dims, keepDim, true, (a, o, n) -> {
            float mean = rk().sum(a, o, n) / n;
            return rk().sumSquaredDeviation(a, o, n, mean) / Math.max(0, n - correction);
        });
    }
}
