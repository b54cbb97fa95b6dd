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

    /**
     * Computes {@code C (+)= A·B} where the rows of B are dense runs found through a table of offsets:
     * {@code B[p][j] = b[bOff + rows[p] + j]}. A convolution with stride 1 uses it to read the shifted runs of a
     * padded image as the rows of its im2col matrix without copying them. Rows may overlap. An implementation may
     * read (not use) up to {@link #ROW_TABLE_SLACK} floats past the end of each row; {@code b} must hold them.
     * The default is the plain loop, the oracle for faster implementations.
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a storage of A
     * @param aOff offset of A[0][0]
     * @param aRs row stride of A
     * @param aCs column stride of A
     * @param b storage of B
     * @param bOff offset added to every row's offset
     * @param rows offset of row p of B, for {@code p < k}
     * @param c storage of C (modified)
     * @param cOff offset of C[0][0]
     * @param cRs row stride of C (columns are dense)
     * @param accumulate when true C is added to, otherwise overwritten
     */
    default void gemmRows(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int[] rows,
                          float[] c, int cOff, int cRs, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRs;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * aRs + p * aCs];
                int bp = bOff + rows[p];
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }

    /**
     * Computes {@code C (+)= A·B} where A has dense rows and the columns of B are dense runs found through a table of
     * offsets: {@code A[i][p] = a[aOff + i*aRs + p]}, {@code B[p][j] = b[bOff + cols[j] + p]}; every C value is a
     * dot product of two runs. A stride-1 convolution's weight gradient reads the shifted runs of a padded image
     * in place through it. Columns may overlap; nothing past a run is read. The default is the plain loop, the
     * oracle for faster implementations.
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a storage of A
     * @param aOff offset of A[0][0]
     * @param aRs row stride of A
     * @param b storage of B
     * @param bOff offset added to every column's offset
     * @param cols offset of column j of B, for {@code j < n}
     * @param c storage of C (modified)
     * @param cOff offset of C[0][0]
     * @param cRs row stride of C (columns are dense)
     * @param accumulate when true C is added to, otherwise overwritten
     */
    default void gemmColumns(int m, int n, int k, float[] a, int aOff, int aRs, float[] b, int bOff, int[] cols,
                             float[] c, int cOff, int cRs, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                int ai = aOff + i * aRs, bj = bOff + cols[j];
                for (int p = 0; p < k; p++) {
                    sum += a[ai + p] * b[bj + p];
                }
                int ci = cOff + i * cRs + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    /**
     * {@link #gemmRows(int, int, int, float[], int, int, int, float[], int, int[], float[], int, int, boolean)} for
     * {@code count} products with the same A: product e reads B from {@code bOff + e·bStep} and writes C from
     * {@code cOff + e·cStep} (a batch of images against one weight, which is then prepared once).
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a storage of A
     * @param aOff offset of A[0][0]
     * @param aRs row stride of A
     * @param aCs column stride of A
     * @param b storage of B
     * @param bOff offset added to every row's offset, for product 0
     * @param rows offset of row p of B, for {@code p < k}
     * @param c storage of C (modified)
     * @param cOff offset of C[0][0] of product 0
     * @param cRs row stride of C (columns are dense)
     * @param accumulate when true C is added to, otherwise overwritten
     * @param count number of products
     * @param bStep distance between the B operands of consecutive products
     * @param cStep distance between the C results of consecutive products (the results must not overlap)
     */
    default void gemmRows(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int[] rows,
                          float[] c, int cOff, int cRs, boolean accumulate, int count, int bStep, int cStep) {
        for (int e = 0; e < count; e++) {
            gemmRows(m, n, k, a, aOff, aRs, aCs, b, bOff + e * bStep, rows, c, cOff + e * cStep, cRs, accumulate);
        }
    }

    /**
     * {@link #gemmColumns(int, int, int, float[], int, int, float[], int, int[], float[], int, int, boolean)} summed
     * over {@code count} products: {@code C (+)= Σ_e A_e·B_e}, where product e reads A from {@code aOff + e·aStep}
     * and B from {@code bOff + e·bStep} (a weight gradient summed over a batch of images in one call).
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a storage of A
     * @param aOff offset of A[0][0] of product 0
     * @param aRs row stride of A
     * @param b storage of B
     * @param bOff offset added to every column's offset, for product 0
     * @param cols offset of column j of B, for {@code j < n}
     * @param c storage of C (modified)
     * @param cOff offset of C[0][0]
     * @param cRs row stride of C (columns are dense)
     * @param accumulate when true C is added to, otherwise overwritten
     * @param count number of products summed
     * @param aStep distance between the A operands of consecutive products
     * @param bStep distance between the B operands of consecutive products
     */
    default void gemmColumns(int m, int n, int k, float[] a, int aOff, int aRs, float[] b, int bOff, int[] cols,
                             float[] c, int cOff, int cRs, boolean accumulate, int count, int aStep, int bStep) {
        for (int e = 0; e < count; e++) {
            gemmColumns(m, n, k, a, aOff + e * aStep, aRs, b, bOff + e * bStep, cols, c, cOff, cRs, accumulate || e > 0);
        }
        if (count == 0 && !accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * cRs, cOff + i * cRs + n, 0f);
            }
        }
    }

    /** Floats past the end of a B row that {@link #gemmRows} may read. */
    int ROW_TABLE_SLACK = 64;
}
