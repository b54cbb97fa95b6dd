package dev.frelon.core.kernel;

/**
 * Multithreaded GEMM: runs {@code C (+)= A·B} on {@link Parallel}'s pool through the chosen kernel's
 * {@link GemmKernel#gemmParallel}, or on the calling thread when the product is small. Same addressing as
 * {@link GemmKernel#gemm}.
 */
public final class Gemm {

    /** Below this many multiply-adds a product runs on the calling thread. */
    static final long PARALLEL_FLOPS = 1L << 18;

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
        GemmKernel kernel = GemmKernel.CHOSEN;
        long flops = (long) m * n * k;
        int t = Parallel.threads();
        if (t == 1 || flops < PARALLEL_FLOPS) {
            kernel.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return;
        }
        kernel.gemmParallel(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
    }
    /**
     * A batch of independent products of the same sizes, {@code C_e (+)= A_e·B_e} for {@code e < count}, with the
     * strides of {@link GemmKernel#gemm}: product e reads A from {@code aOffs[e]}, B from {@code bOffs[e]} and writes
     * C at {@code cOff + e·cStride} (the pointer-array form of a BLAS batched GEMM; offsets may repeat, as when
     * one operand is broadcast over the batch). Many small products are spread over the pool, one whole product
     * per task; larger ones run one after another, each split over the pool.
     *
     * @param count number of products
     * @param m rows of each A and C
     * @param n columns of each B and C
     * @param k columns of each A, rows of each B
     * @param a storage of the A operands
     * @param aOffs offset of A_e[0][0], at least {@code count} entries
     * @param aRs row stride of each A
     * @param aCs column stride of each A
     * @param b storage of the B operands
     * @param bOffs offset of B_e[0][0], at least {@code count} entries
     * @param bRs row stride of each B
     * @param bCs column stride of each B
     * @param c storage of the C results (modified); they must not overlap one another
     * @param cOff offset of C_0[0][0]
     * @param cStride distance from C_e to C_{e+1}
     * @param cRs row stride of each C
     * @param accumulate when true each C is added to, otherwise overwritten
     */
    public static void gemmBatched(int count, int m, int n, int k, float[] a, int[] aOffs, int aRs, int aCs,
                                   float[] b, int[] bOffs, int bRs, int bCs, float[] c, int cOff, int cStride, int cRs,
                                   boolean accumulate) {
        if (count < 0 || aOffs.length < count || bOffs.length < count) {
            throw new IllegalArgumentException("gemmBatched: " + count + " products need as many A and B offsets, got "
                    + aOffs.length + " and " + bOffs.length);
        }
        if ((long) m * n * k < PARALLEL_FLOPS && count > 1 && Parallel.threads() > 1) {
            FlopCounter.addGemm((long) count * m, n, k);
            GemmKernel kernel = GemmKernel.CHOSEN;
            Parallel.forRange(0, count, 1, (lo, hi) -> {
                for (int e = lo; e < hi; e++) {
                    kernel.gemm(m, n, k, a, aOffs[e], aRs, aCs, b, bOffs[e], bRs, bCs, c, cOff + e * cStride, cRs,
                            accumulate);
                }
            });
            return;
        }
        for (int e = 0; e < count; e++) {
            gemm(m, n, k, a, aOffs[e], aRs, aCs, b, bOffs[e], bRs, bCs, c, cOff + e * cStride, cRs, accumulate);
        }
    }

    /**
     * {@link #gemmBatched(int, int, int, int, float[], int[], int, int, float[], int[], int, int, float[], int, int,
     * int, boolean)} with evenly spaced operands: A_e at {@code aOff + e·aStride}, B_e at {@code bOff + e·bStride}
     * (a stride of 0 broadcasts one operand over the batch).
     *
     * @param count number of products
     * @param m rows of each A and C
     * @param n columns of each B and C
     * @param k columns of each A, rows of each B
     * @param a storage of the A operands
     * @param aOff offset of A_0[0][0]
     * @param aStride distance from A_e to A_{e+1}
     * @param aRs row stride of each A
     * @param aCs column stride of each A
     * @param b storage of the B operands
     * @param bOff offset of B_0[0][0]
     * @param bStride distance from B_e to B_{e+1}
     * @param bRs row stride of each B
     * @param bCs column stride of each B
     * @param c storage of the C results (modified)
     * @param cOff offset of C_0[0][0]
     * @param cStride distance from C_e to C_{e+1}
     * @param cRs row stride of each C
     * @param accumulate when true each C is added to, otherwise overwritten
     */
    public static void gemmStridedBatched(int count, int m, int n, int k, float[] a, int aOff, int aStride, int aRs,
                                          int aCs, float[] b, int bOff, int bStride, int bRs, int bCs, float[] c,
                                          int cOff, int cStride, int cRs, boolean accumulate) {
        if (count < 0) {
            throw new IllegalArgumentException("gemmStridedBatched: count must be >= 0, got " + count);
        }
        int[] aOffs = new int[count], bOffs = new int[count];
        for (int e = 0; e < count; e++) {
            aOffs[e] = aOff + e * aStride;
            bOffs[e] = bOff + e * bStride;
        }
        gemmBatched(count, m, n, k, a, aOffs, aRs, aCs, b, bOffs, bRs, bCs, c, cOff, cStride, cRs, accumulate);
    }
}
