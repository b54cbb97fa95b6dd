package dev.frelon.core.kernel;

/**
 * Multithreaded GEMM: splits {@code C (+)= A·B} into column (or row) bands run on {@link Parallel}'s pool,
 * each by the chosen {@link GemmKernel}. Same addressing as {@link GemmKernel#gemm}.
 */
public final class Gemm {

    /** Below this many multiply-adds a product runs on the calling thread. */
    static final long PARALLEL_FLOPS = 1L << 18;
    private static final int COL_ALIGN = 64;
    private static final int ROW_ALIGN = 6;

    private Gemm() {
    }

    /**
     * Computes {@code C (+)= A·B} on the shared pool; see {@link GemmKernel#gemm} for the parameters.
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a storage of A
     * @param aOff offset of A[0][0]
     * @param aRs row stride of A
     * @param aCs column stride of A
     * @param b storage of B
     * @param bOff offset of B[0][0]
     * @param bRs row stride of B
     * @param bCs column stride of B
     * @param c storage of C (modified)
     * @param cOff offset of C[0][0]
     * @param cRs row stride of C
     * @param accumulate when true C is added to, otherwise overwritten
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int cRs, boolean accumulate) {
        FlopCounter.addGemm(m, n, k);
        GemmKernel kernel = Kernels.gemm();
        long flops = (long) m * n * k;
        int t = Parallel.threads();
        if (t == 1 || flops < PARALLEL_FLOPS) {
            kernel.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return;
        }
        // Split the larger side, in whole register tiles so that no band ends in a ragged tile.
        if ((long) n >= (long) m) {
            int units = (n + COL_ALIGN - 1) / COL_ALIGN;
            Parallel.forRange(0, units, 1, (lo, hi) -> {
                int j0 = lo * COL_ALIGN, j1 = Math.min(n, hi * COL_ALIGN);
                kernel.gemm(m, j1 - j0, k, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs,
                        c, cOff + j0, cRs, accumulate);
            });
        } else {
            int units = (m + ROW_ALIGN - 1) / ROW_ALIGN;
            Parallel.forRange(0, units, 1, (lo, hi) -> {
                int i0 = lo * ROW_ALIGN, i1 = Math.min(m, hi * ROW_ALIGN);
                kernel.gemm(i1 - i0, n, k, a, aOff + i0 * aRs, aRs, aCs, b, bOff, bRs, bCs,
                        c, cOff + i0 * cRs, cRs, accumulate);
            });
        }
    }
}
