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

    /** {@code a kind b}, both operands broadcast; {@code op} names the operation in errors. */
    static Tensor binary(String op, BinaryOp kind, Tensor a, Tensor b) {
        // Fast paths for the common cases (same-shaped dense operands, a dense tensor and a scalar): one
        // kernel call with no broadcasting bookkeeping, which dominates the cost of small operations.
        if (a.isContiguous() && (b.numel() == 1 && b.shape.length <= a.shape.length
                || b.isContiguous() && Arrays.equals(a.shape, b.shape))) {
            Tensor out = Tensor.zeros(a.shape);
            int ib = b.numel() == 1 && out.data.length != 1 ? 0 : 1;
            ElementwiseKernels k = ew();
            if (out.data.length < PARALLEL_ELEMENTS) {
                k.binary(kind, a.data, a.offset, 1, b.data, b.offset, ib, out.data, 0, out.data.length);
            } else {
                Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2, (lo, hi) -> k.binary(kind, a.data,
                        a.offset + lo, 1, b.data, b.offset + lo * ib, ib, out.data, lo, hi - lo));
            }
            return out;
        }
        if (b.isContiguous() && a.numel() == 1 && a.shape.length <= b.shape.length) {
            Tensor out = Tensor.zeros(b.shape);
            ElementwiseKernels k = ew();
            if (out.data.length < PARALLEL_ELEMENTS) {
                k.binary(kind, a.data, a.offset, 0, b.data, b.offset, 1, out.data, 0, out.data.length);
            } else {
                Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2, (lo, hi) -> k.binary(kind, a.data,
                        a.offset, 0, b.data, b.offset + lo, 1, out.data, lo, hi - lo));
            }
            return out;
        }
        int[] outShape = Shape.broadcast(op, a.shape, b.shape);
        Tensor out = Tensor.zeros(op, outShape);
        int[] as = Shape.broadcastStrides(op, a.shape, a.strides, outShape);
        int[] bs = Shape.broadcastStrides(op, b.shape, b.strides, outShape);
        StridedLoop loop = new StridedLoop(outShape, as, bs, out.strides);
        int ia = loop.inner[0], ib = loop.inner[1];
        ElementwiseKernels k = ew();
        if (loop.shape.length == 1 && out.data.length >= PARALLEL_ELEMENTS) {
            // One long strip (dense or broadcast operands): split it over the shared pool.
            Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2, (lo, hi) -> k.binary(kind,
                    a.data, a.offset + lo * ia, ia, b.data, b.offset + lo * ib, ib, out.data, lo, hi - lo));
            return out;
        }
        loop.forEach(new int[] {a.offset, b.offset, 0},
                (o, n) -> k.binary(kind, a.data, o[0], ia, b.data, o[1], ib, out.data, o[2], n));
        return out;
    }

    /** {@code a kind b} with a scalar right operand. */
    static Tensor binary(String op, BinaryOp kind, Tensor a, float b) {
        return binary(op, kind, a, Tensor.scalar(b));
    }

    /** {@code kind(x)}, a new dense tensor of x's shape. */
    static Tensor unary(UnaryOp kind, Tensor x) {
        Tensor out = Tensor.zeros(x.shape);
        if (x.isContiguous()) {
            ElementwiseKernels k = ew();
            if (out.data.length < PARALLEL_ELEMENTS) {
                k.unary(kind, x.data, x.offset, 1, out.data, 0, out.data.length);
            } else {
                Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2,
                        (lo, hi) -> k.unary(kind, x.data, x.offset + lo, 1, out.data, lo, hi - lo));
            }
            return out;
        }
        StridedLoop loop = new StridedLoop(x.shape, x.strides, out.strides);
        int ia = loop.inner[0];
        ElementwiseKernels k = ew();
        if (loop.shape.length == 1 && out.data.length >= PARALLEL_ELEMENTS) {
            Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2,
                    (lo, hi) -> k.unary(kind, x.data, x.offset + lo * ia, ia, out.data, lo, hi - lo));
            return out;
        }
        loop.forEach(new int[] {x.offset, 0}, (o, n) -> k.unary(kind, x.data, o[0], ia, out.data, o[1], n));
        return out;
    }

    /** {@code x * scale + shift} in one pass. */
    static Tensor affine(Tensor x, float scale, float shift) {
        Tensor out = Tensor.zeros(x.shape);
        StridedLoop loop = new StridedLoop(x.shape, x.strides, out.strides);
        int ia = loop.inner[0];
        loop.forEach(new int[] {x.offset, 0}, (o, n) -> ew().affine(x.data, o[0], ia, scale, shift, out.data, o[1], n));
        return out;
    }

    /** {@code mask != 0 ? a : b}, all three broadcast. */
    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast("where", Shape.broadcast("where", mask.shape, a.shape), b.shape);
        Tensor out = Tensor.zeros("where", outShape);
        int[] ms = Shape.broadcastStrides("where", mask.shape, mask.strides, outShape);
        int[] as = Shape.broadcastStrides("where", a.shape, a.strides, outShape);
        int[] bs = Shape.broadcastStrides("where", b.shape, b.strides, outShape);
        StridedLoop loop = new StridedLoop(outShape, ms, as, bs, out.strides);
        int im = loop.inner[0], ia = loop.inner[1], ib = loop.inner[2];
        loop.forEach(new int[] {mask.offset, a.offset, b.offset, 0}, (o, n) -> {
            for (int i = 0; i < n; i++) {
                out.data[o[3] + i] = mask.data[o[0] + i * im] != 0f ? a.data[o[1] + i * ia] : b.data[o[2] + i * ib];
            }
        });
        return out;
    }

    /**
     * {@code x} with the elements outside the lower ({@code j − i ≤ diagonal}) or upper ({@code j − i ≥ diagonal})
     * triangle of its last two dims set to 0.
     */
    static Tensor triangle(Tensor x, String op, int diagonal, boolean lower) {
        return where(triangleMask(x.shape, op, diagonal, lower), x, Tensor.scalar(0f));
    }

    /** 1 where (i, j) is in the lower (j − i ≤ diagonal) or upper (j − i ≥ diagonal) triangle, as [rows, cols]. */
    private static Tensor triangleMask(int[] shape, String op, int diagonal, boolean lower) {
        if (shape.length < 2) {
            throw new IllegalArgumentException(op + ": needs at least 2 dims, got shape " + Shape.str(shape));
        }
        int rows = shape[shape.length - 2], cols = shape[shape.length - 1];
        Tensor m = Tensor.zeros(op, new int[] {rows, cols});
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                long d = (long) j - i;
                m.data[i * cols + j] = lower ? (d <= diagonal ? 1f : 0f) : (d >= diagonal ? 1f : 0f);
            }
        }
        return m;
    }
}
