package dev.frelon.core;

import dev.frelon.core.kernel.Gemm;

import dev.frelon.core.kernel.Float64Kernels;
import dev.frelon.core.kernel.Parallel;

import java.util.Arrays;

/**
 * Runs {@link Tensor#matmul}: NumPy's rank rules (1-d operands made matrices and back), the broadcast of batch dims,
 * and the table of per-product operand offsets that {@link Gemm#gemmBatched} spreads over threads. Operands reach
 * the GEMM through their strides, so transposed views are never copied. Apart from Tensor because the batch table is
 * the part a new element type or kernel would change.
 */
final class Matmul {

    private Matmul() {
    }

    /** {@code a @ b} with NumPy's {@code matmul} rules. */
    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dtype != b.dtype || !a.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("matmul: needs two float32 or two float64 operands, got " + a.dtype
                    + " " + Shape.str(a.shape) + " @ " + b.dtype + " " + Shape.str(b.shape)
                    + " (convert with to(); PyTorch also refuses mixed dtypes)");
        }
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least 1 dim, got "
                    + Shape.str(a.shape) + " @ " + Shape.str(b.shape));
        }
        boolean vecA = a.dim() == 1, vecB = b.dim() == 1;
        Tensor a2 = vecA ? a.unsqueeze(0) : a;
        Tensor b2 = vecB ? b.unsqueeze(1) : b;
        int m = a2.shape[a2.dim() - 2], k = a2.shape[a2.dim() - 1];
        int k2 = b2.shape[b2.dim() - 2], n = b2.shape[b2.dim() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.str(a.shape) + " @ "
                    + Shape.str(b.shape) + " (" + k + " != " + k2 + ")");
        }
        int[] batchA = Arrays.copyOf(a2.shape, a2.dim() - 2);
        int[] batchB = Arrays.copyOf(b2.shape, b2.dim() - 2);
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Tensor.zeros("matmul", a.dtype, outShape);
        int[] sa = Shape.broadcastStrides("matmul", batchA, Arrays.copyOf(a2.strides, batchA.length), batch);
        int[] sb = Shape.broadcastStrides("matmul", batchB, Arrays.copyOf(b2.strides, batchB.length), batch);
        int count = out.numel() == 0 ? 0 : Shape.numel("matmul", batch);
        int aRs = a2.strides[a2.dim() - 2], aCs = a2.strides[a2.dim() - 1];
        int bRs = b2.strides[b2.dim() - 2], bCs = b2.strides[b2.dim() - 1];
        int[] bstrides = Shape.contiguousStrides(batch);
        // Each product's operand offsets, broadcast batch dims repeating them; the kernel decides how to spread
        // the products over threads.
        int[] aOffs = new int[count], bOffs = new int[count];
        for (int bi = 0; bi < count; bi++) {
            int oa = a2.offset, ob = b2.offset, rem = bi;
            for (int d = 0; d < batch.length; d++) {
                int idx = rem / bstrides[d];
                rem -= idx * bstrides[d];
                oa += idx * sa[d];
                ob += idx * sb[d];
            }
            aOffs[bi] = oa;
            bOffs[bi] = ob;
        }
        if (a.dtype == DType.FLOAT64) {
            double[] x = (double[]) a2.store, y = (double[]) b2.store, z = (double[]) out.store;
            // Each element's order of additions is fixed by the kernel, whatever the split: a batch splits by product,
            // a single product by blocks of rows (each block about 2^20 multiply-adds, at least 8 rows).
            if (count == 1) {
                long perRow = Math.max(1L, (long) n * k);
                int grain = (int) Math.min(m, Math.max(8, (1L << 20) / perRow));
                Parallel.forRange(0, m, grain, (lo, hi) -> Float64Kernels.CHOSEN.gemm(hi - lo, n, k, x,
                        aOffs[0] + lo * aRs, aRs, aCs, y, bOffs[0], bRs, bCs, z, lo * n, n, false));
            } else {
                Parallel.forRange(0, count, 1, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        Float64Kernels.CHOSEN.gemm(m, n, k, x, aOffs[i], aRs, aCs, y, bOffs[i], bRs, bCs, z, i * m * n,
                                n, false);
                    }
                });
            }
        } else {
            Gemm.gemmBatched(count, m, n, k, a2.data, aOffs, aRs, aCs, b2.data, bOffs, bRs, bCs, out.data, 0, m * n,
                    n, false);
        }
        if (vecA && vecB) {
            return out.reshape(Arrays.copyOf(batch, batch.length));
        }
        if (vecA) {
            return out.squeeze(-2);
        }
        return vecB ? out.squeeze(-1) : out;
    }
}
