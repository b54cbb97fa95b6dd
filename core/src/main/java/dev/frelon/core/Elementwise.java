package dev.frelon.core;

import dev.frelon.core.kernel.BinaryOp;
import dev.frelon.core.kernel.ElementwiseKernels;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.UnaryOp;

import java.util.Arrays;

/**
 * Runs {@link Tensor}'s elementwise operations: broadcasting, the fast paths that skip it, the strided walk over
 * {@link StridedLoop} strips and the split of long results over the shared pool. Apart from Tensor so that the API
 * stays a readable list of operations and another element type adds its loops here rather than there.
 */
final class Elementwise {

    /** Elementwise results at least this long are split over the shared pool. */
    private static final int PARALLEL_ELEMENTS = 1 << 17;

    private Elementwise() {
    }

    private static ElementwiseKernels ew() {
        return ElementwiseKernels.CHOSEN;
    }

    /**
     * One strip of a binary operation over backing arrays of the operands' dtype: {@code n} results written densely
     * from {@code outOff}; a stride of 0 repeats one value.
     */
    @FunctionalInterface
    interface BinaryStrip {
        void run(Object a, int aOff, int aStride, Object b, int bOff, int bStride, Object out, int outOff, int n);
    }

    /** One strip of a unary operation: {@code n} results written densely from {@code outOff}. */
    @FunctionalInterface
    interface UnaryStrip {
        void run(Object a, int aOff, int aStride, Object out, int outOff, int n);
    }

    /**
     * {@code a kind b}, both operands broadcast; {@code op} names the operation in errors. Two float32 operands go
     * straight to the float32 kernels; any other pair is promoted first ({@link TypedElementwise}).
     */
    static Tensor binary(String op, BinaryOp kind, Tensor a, Tensor b) {
        if (a.dtype == DType.FLOAT32 && b.dtype == DType.FLOAT32 && !kind.isComparison()) {
            ElementwiseKernels k = ew();
            return broadcast(op, a, b, DType.FLOAT32, (x, xo, xs, y, yo, ys, out, oo, n) ->
                    k.binary(kind, (float[]) x, xo, xs, (float[]) y, yo, ys, (float[]) out, oo, n));
        }
        return TypedElementwise.binary(op, kind, a, b);
    }

    /**
     * Runs {@code strip} over {@code a} and {@code b} broadcast together, into a new dense tensor of {@code outType}.
     * The operands' dtypes are the strip's business.
     */
    static Tensor broadcast(String op, Tensor a, Tensor b, DType outType, BinaryStrip strip) {
        // Fast paths for the common cases (same-shaped dense operands, a dense tensor and a scalar): one
        // kernel call with no broadcasting bookkeeping, which dominates the cost of small operations.
        if (a.isContiguous() && (b.numel() == 1 && b.shape.length <= a.shape.length
                || b.isContiguous() && Arrays.equals(a.shape, b.shape))) {
            Tensor out = Tensor.zeros(op, outType, a.shape);
            int total = a.numel();
            int ib = b.numel() == 1 && total != 1 ? 0 : 1;
            if (total < PARALLEL_ELEMENTS) {
                strip.run(a.store, a.offset, 1, b.store, b.offset, ib, out.store, 0, total);
            } else {
                Parallel.forRange(0, total, PARALLEL_ELEMENTS / 2, (lo, hi) -> strip.run(a.store,
                        a.offset + lo, 1, b.store, b.offset + lo * ib, ib, out.store, lo, hi - lo));
            }
            return out;
        }
        if (b.isContiguous() && a.numel() == 1 && a.shape.length <= b.shape.length) {
            Tensor out = Tensor.zeros(op, outType, b.shape);
            int total = b.numel();
            if (total < PARALLEL_ELEMENTS) {
                strip.run(a.store, a.offset, 0, b.store, b.offset, 1, out.store, 0, total);
            } else {
                Parallel.forRange(0, total, PARALLEL_ELEMENTS / 2, (lo, hi) -> strip.run(a.store,
                        a.offset, 0, b.store, b.offset + lo, 1, out.store, lo, hi - lo));
            }
            return out;
        }
        int[] outShape = Shape.broadcast(op, a.shape, b.shape);
        Tensor out = Tensor.zeros(op, outType, outShape);
        int[] as = Shape.broadcastStrides(op, a.shape, a.strides, outShape);
        int[] bs = Shape.broadcastStrides(op, b.shape, b.strides, outShape);
        StridedLoop loop = new StridedLoop(outShape, as, bs, out.strides);
        int ia = loop.inner[0], ib = loop.inner[1];
        int total = out.numel();
        if (loop.shape.length == 1 && total >= PARALLEL_ELEMENTS) {
            // One long strip (dense or broadcast operands): split it over the shared pool.
            Parallel.forRange(0, total, PARALLEL_ELEMENTS / 2, (lo, hi) -> strip.run(
                    a.store, a.offset + lo * ia, ia, b.store, b.offset + lo * ib, ib, out.store, lo, hi - lo));
            return out;
        }
        loop.forEach(new int[] {a.offset, b.offset, 0},
                (o, n) -> strip.run(a.store, o[0], ia, b.store, o[1], ib, out.store, o[2], n));
        return out;
    }

    /** {@code a kind b} with a scalar right operand of {@code a}'s dtype (float32 when a is integer or bool). */
    static Tensor binary(String op, BinaryOp kind, Tensor a, double b) {
        DType t = a.dtype.isFloatingPoint() ? a.dtype : DType.FLOAT32;
        return binary(op, kind, a, t == DType.FLOAT32 ? Tensor.scalar((float) b) : Tensor.scalar(b, t));
    }

    /** {@code a kind b} with an integer scalar: of a's dtype when a is a number type, int64 with a bool tensor. */
    static Tensor binary(String op, BinaryOp kind, Tensor a, long b) {
        if (a.dtype == DType.FLOAT32) {
            return binary(op, kind, a, Tensor.scalar((float) b));
        }
        if (a.dtype == DType.INT32 && (b < Integer.MIN_VALUE || b > Integer.MAX_VALUE)) {
            // PyTorch wraps such a scalar; refusing it keeps the int32 result from being silently wrong.
            throw new IllegalArgumentException(op + ": " + b + " is out of the range of int32, the dtype of the tensor"
                    + " (shape " + Shape.str(a.shape) + "); convert it with to(DType.INT64) first");
        }
        DType t = a.dtype == DType.BOOL || a.dtype == DType.INT32 ? DType.INT64 : a.dtype;
        return binary(op, kind, a, t == DType.INT64 ? Tensor.dense(DType.INT64, new long[] {b}, new int[0])
                : Tensor.scalar(b, t));
    }

    /** {@code kind(x)}, a new dense tensor of x's shape; float32 here, other dtypes through {@link TypedElementwise}. */
    static Tensor unary(UnaryOp kind, Tensor x) {
        if (x.dtype != DType.FLOAT32) {
            return TypedElementwise.unary(kind, x);
        }
        ElementwiseKernels k = ew();
        return map(kind.label(), x, DType.FLOAT32,
                (a, ao, as, out, oo, n) -> k.unary(kind, (float[]) a, ao, as, (float[]) out, oo, n));
    }

    /** Runs {@code strip} over every element of {@code x} into a new dense tensor of {@code outType}. */
    static Tensor map(String op, Tensor x, DType outType, UnaryStrip strip) {
        Tensor out = Tensor.zeros(op, outType, x.shape);
        int total = out.numel();
        if (x.isContiguous()) {
            if (total < PARALLEL_ELEMENTS) {
                strip.run(x.store, x.offset, 1, out.store, 0, total);
            } else {
                Parallel.forRange(0, total, PARALLEL_ELEMENTS / 2,
                        (lo, hi) -> strip.run(x.store, x.offset + lo, 1, out.store, lo, hi - lo));
            }
            return out;
        }
        StridedLoop loop = new StridedLoop(x.shape, x.strides, out.strides);
        int ia = loop.inner[0];
        if (loop.shape.length == 1 && total >= PARALLEL_ELEMENTS) {
            Parallel.forRange(0, total, PARALLEL_ELEMENTS / 2,
                    (lo, hi) -> strip.run(x.store, x.offset + lo * ia, ia, out.store, lo, hi - lo));
            return out;
        }
        loop.forEach(new int[] {x.offset, 0}, (o, n) -> strip.run(x.store, o[0], ia, out.store, o[1], n));
        return out;
    }

    /** {@code x * scale + shift} in one pass; float64 keeps the double scale and shift, other dtypes go to float32. */
    static Tensor affine(Tensor x, double scale, double shift) {
        if (x.dtype == DType.FLOAT64) {
            return map("affine", x, DType.FLOAT64, (a, ao, as, out, oo, n) -> {
                double[] src = (double[]) a, dst = (double[]) out;
                for (int i = 0; i < n; i++) {
                    dst[oo + i] = src[ao + i * as] * scale + shift;
                }
            });
        }
        float fs = (float) scale, fh = (float) shift;
        return map("affine", x.to(DType.FLOAT32), DType.FLOAT32,
                (a, ao, as, out, oo, n) -> ew().affine((float[]) a, ao, as, fs, fh, (float[]) out, oo, n));
    }

    /**
     * {@code mask ? a : b}, all three broadcast; the mask must be bool (as in PyTorch), and the result has the
     * promoted dtype of {@code a} and {@code b}.
     */
    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return where("where", mask, a, b);
    }

    /** {@link #where(Tensor, Tensor, Tensor)} for the op named {@code op} ({@code maskedFill}...). */
    static Tensor where(String op, Tensor mask, Tensor a, Tensor b) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException(op + ": the " + (op.equals("where") ? "condition" : "mask")
                    + " must be a bool tensor, got " + mask.dtype + " of shape " + Shape.str(mask.shape)
                    + " (make one with a comparison or to(DType.BOOL))");
        }
        DType type = TypedElementwise.resultType(a, b);
        Tensor x = Casts.to(op, a, type), y = Casts.to(op, b, type);
        int[] outShape = Shape.broadcast(op, Shape.broadcast(op, mask.shape, x.shape), y.shape);
        Tensor out = Tensor.zeros(op, type, outShape);
        int[] ms = Shape.broadcastStrides(op, mask.shape, mask.strides, outShape);
        int[] as = Shape.broadcastStrides(op, x.shape, x.strides, outShape);
        int[] bs = Shape.broadcastStrides(op, y.shape, y.strides, outShape);
        StridedLoop loop = new StridedLoop(outShape, ms, as, bs, out.strides);
        int im = loop.inner[0], ia = loop.inner[1], ib = loop.inner[2];
        boolean[] m = (boolean[]) mask.store;
        if (type == DType.FLOAT32) {
            float[] xa = x.data, ya = y.data, oa = out.data;
            loop.forEach(new int[] {mask.offset, x.offset, y.offset, 0}, (o, n) -> {
                for (int i = 0; i < n; i++) {
                    oa[o[3] + i] = m[o[0] + i * im] ? xa[o[1] + i * ia] : ya[o[2] + i * ib];
                }
            });
            return out;
        }
        loop.forEach(new int[] {mask.offset, x.offset, y.offset, 0}, (o, n) -> {
            for (int i = 0; i < n; i++) {
                boolean pick = m[o[0] + i * im];
                // One element from a or b: a length-1 copy keeps this loop the same for every dtype.
                Casts.convert(op, type, pick ? x.store : y.store, pick ? o[1] + i * ia : o[2] + i * ib, 1,
                        type, out.store, o[3] + i, 1, 1);
            }
        });
        return out;
    }

    /**
     * {@code x} with the elements outside the lower ({@code j − i ≤ diagonal}) or upper ({@code j − i ≥ diagonal})
     * triangle of its last two dims set to 0.
     */
    static Tensor triangle(Tensor x, String op, int diagonal, boolean lower) {
        return where(triangleMask(x.shape, op, diagonal, lower), x, Tensor.zeros(op, x.dtype, new int[0]));
    }

    /** true where (i, j) is in the lower (j − i ≤ diagonal) or upper (j − i ≥ diagonal) triangle, as [rows, cols]. */
    private static Tensor triangleMask(int[] shape, String op, int diagonal, boolean lower) {
        if (shape.length < 2) {
            throw new IllegalArgumentException(op + ": needs at least 2 dims, got shape " + Shape.str(shape));
        }
        int rows = shape[shape.length - 2], cols = shape[shape.length - 1];
        Tensor m = Tensor.zeros(op, DType.BOOL, new int[] {rows, cols});
        boolean[] bits = (boolean[]) m.store;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                long d = (long) j - i;
                bits[i * cols + j] = lower ? d <= diagonal : d >= diagonal;
            }
        }
        return m;
    }
}
