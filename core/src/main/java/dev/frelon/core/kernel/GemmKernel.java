package dev.frelon.core.kernel;

/**
 * Single-precision matrix product on one thread: {@code C = A·B} or {@code C += A·B}, with A and B given by
 * arbitrary row and column strides so that transposed operands need no copy. C has dense rows.
 *
 * <p>Element addressing: {@code A[i][p] = a[aOff + i*aRs + p*aCs]}, {@code B[p][j] = b[bOff + p*bRs + j*bCs]},
 * {@code C[i][j] = c[cOff + i*cRs + j]}, for {@code i < m, j < n, p < k}. C must not overlap A or B.
 * {@link Gemm} is the multithreaded entry point built on this.
 */
public interface GemmKernel {

    /** The implementation this JVM runs: the Vector API one wherever that path is available ({@link Kernels}). */
    GemmKernel CHOSEN = Kernels.choose(GemmKernel.class, "VectorGemm", ScalarGemm::new, isa -> true);

    /**
     * Computes {@code C (+)= A·B}.
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
     * @param cRs row stride of C (columns are dense)
     * @param accumulate when true C is added to, otherwise overwritten
     */
    void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
              float[] c, int cOff, int cRs, boolean accumulate);

    /**
     * Computes {@code C (+)= A·B} on {@link Parallel}'s pool (same parameters as {@link #gemm}). The default splits
     * C into bands of whole register tiles along its larger side and runs {@link #gemm} on each band; a kernel that
     * packs its operands overrides it to pack each block once for all threads.
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
     * @param cRs row stride of C (columns are dense)
     * @param accumulate when true C is added to, otherwise overwritten
     */
    default void gemmParallel(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                              int bCs, float[] c, int cOff, int cRs, boolean accumulate) {
        // Split the larger side, in whole register tiles (64 columns; 12 rows, a multiple of the 6- and 4-row tiles)
        // so that no band ends in a ragged tile.
        if (n >= m) {
            int units = (n + 63) / 64;
            Parallel.forRange(0, units, 1, (lo, hi) -> {
                int j0 = lo * 64, j1 = Math.min(n, hi * 64);
                gemm(m, j1 - j0, k, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs, c, cOff + j0, cRs, accumulate);
            });
        } else {
            int units = (m + 11) / 12;
            Parallel.forRange(0, units, 1, (lo, hi) -> {
                int i0 = lo * 12, i1 = Math.min(m, hi * 12);
                gemm(i1 - i0, n, k, a, aOff + i0 * aRs, aRs, aCs, b, bOff, bRs, bCs, c, cOff + i0 * cRs, cRs,
                        accumulate);
            });
        }
    }
}
