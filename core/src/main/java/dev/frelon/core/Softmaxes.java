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
        if (shape.length == 0) {
            return log ? Tensor.zeros() : Tensor.ones();
        }
        Tensor moved = x.transpose(d, shape.length - 1);
        // The rows are rewritten in place: always work on a fresh dense copy, never on this storage.
        moved = moved.copy();
        int n = shape[d];
        Tensor m = moved;
        int rows = n == 0 ? 0 : m.numel() / n;
        Parallel.forRange(0, rows, Math.max(1, (1 << 14) / Math.max(1, n)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                softmaxRow(m.data, r * n, n, log);
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

    /** {@code log(sum(exp(x)))} along {@code dim}, shifted by the maximum. */
    static Tensor logSumExp(Tensor x, int dim, boolean keepDim) {
        return Reductions.reduce(x, "logSumExp", new int[] {dim}, keepDim, true, Softmaxes::logSumExpRun);
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
