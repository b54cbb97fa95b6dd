package dev.frelon.core;

import dev.frelon.core.kernel.ElementwiseKernels;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.ReductionKernels;
import dev.frelon.core.kernel.SoftmaxKernels;

/**
 * Runs {@link Tensor}'s softmax, log-softmax and log-sum-exp: each row shifted by its maximum before the
 * exponentials, which {@link SoftmaxKernels} sums in one pass. Apart from Tensor because the rows are rewritten in
 * place on a private copy, a detail the API should not carry.
 */
final class Softmaxes {

    private Softmaxes() {
    }

    /** Softmax (or log-softmax, when {@code log} is set) of {@code x} along {@code dim}. */
    static Tensor softmax(Tensor x, String op, int dim, boolean log) {
        int[] shape = x.shape;
        int d = Shape.dim(op, dim, shape.length); // a 0-d tensor takes dims 0 and -1, as PyTorch
        Elements.requireFloatingPoint(op, x);
        if (shape.length == 0) {
            return Tensor.full(log ? 0 : 1, x.dtype);
        }
        Tensor moved = x.transpose(d, shape.length - 1);
        // The rows are rewritten in place: always work on a fresh dense copy, never on this storage.
        moved = moved.copy();
        int n = shape[d];
        Tensor m = moved;
        int rows = n == 0 ? 0 : m.numel() / n;
        Parallel.forRange(0, rows, Math.max(1, (1 << 14) / Math.max(1, n)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                if (m.data != null) {
                    softmaxRow(m.data, r * n, n, log);
                } else {
                    softmaxRow64((double[]) m.store, r * n, n, log);
                }
            }
        });
        return m.transpose(d, shape.length - 1).contiguous();
    }

    /** Softmax (or log-softmax) of one dense row, in place. */
    private static void softmaxRow(float[] a, int off, int n, boolean log) {
        float max = ReductionKernels.CHOSEN.max(a, off, n);
        SoftmaxKernels k = SoftmaxKernels.CHOSEN;
        if (log) {
            float[] tmp = new float[n];
            float logSum = (float) Math.log(k.expShiftSum(a, off, n, max, tmp, 0));
            // (x − max) − log Σ, in two roundings: x − (max + log Σ) would lose log Σ's digits beside a large max.
            ElementwiseKernels.CHOSEN.affine(a, off, 1, 1f, -max, a, off, n);
            ElementwiseKernels.CHOSEN.affine(a, off, 1, 1f, -logSum, a, off, n);
        } else {
            float s = k.expShiftSum(a, off, n, max, a, off);
            ElementwiseKernels.CHOSEN.affine(a, off, 1, 1f / s, 0f, a, off, n);
        }
    }

    /**
     * Softmax (or log-softmax) of one dense float64 row, in place, with {@link StrictMath} so that every JIT state
     * gives the same bits.
     */
    private static void softmaxRow64(double[] a, int off, int n, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += StrictMath.exp(a[off + i] - max);
        }
        double logSum = StrictMath.log(sum);
        for (int i = 0; i < n; i++) {
            double shifted = a[off + i] - max;
            a[off + i] = log ? shifted - logSum : StrictMath.exp(shifted) / sum;
        }
    }

    /** {@code log(sum(exp(x)))} along {@code dim}, shifted by the maximum. */
    static Tensor logSumExp(Tensor x, int dim, boolean keepDim) {
        if (!x.dtype.isFloatingPoint()) {
            return logSumExp(x.to(DType.FLOAT32), dim, keepDim); // PyTorch's logsumexp of integers is float32
        }
        if (x.dtype == DType.FLOAT64) {
            return Reductions.reduceInto(x, "logSumExp", new int[] {dim}, keepDim, true, DType.FLOAT64,
                    (src, off, n, out, row) -> ((double[]) out)[row] = logSumExpRun64((double[]) src, off, n));
        }
        return Reductions.reduce(x, "logSumExp", new int[] {dim}, keepDim, true, Softmaxes::logSumExpRun);
    }

    private static double logSumExpRun64(double[] a, int off, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, a[off + i]);
        }
        if (Double.isInfinite(m)) {
            return m;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += StrictMath.exp(a[off + i] - m);
        }
        return m + StrictMath.log(sum);
    }

    private static float logSumExpRun(float[] a, int off, int n) {
        if (n == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        float m = ReductionKernels.CHOSEN.max(a, off, n);
        if (Float.isInfinite(m)) {
            return m;
        }
        float[] tmp = new float[n];
        return m + (float) Math.log(SoftmaxKernels.CHOSEN.expShiftSum(a, off, n, m, tmp, 0));
    }
}
