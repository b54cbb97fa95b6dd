package dev.frelon.core.kernel;

/**
 * Plain-Java GEMM, the path of every JVM without the Vector API module: B is packed into blocks of {@link #KB} rows
 * × {@link #NB} columns, one array per row, four rows of C are copied into four arrays of their own, and each step
 * updates them from four rows of the block: sixteen multiply-adds per column in one loop over contiguous columns,
 * which C2 compiles to SIMD instructions of the machine's width by itself (superword). Four rows of A per step reuse
 * each loaded B value four times and keep the loads and stores of C to a quarter of the multiply-adds. Small
 * products take the plain i-p-j loop.
 *
 * <p>Multiply-adds are fused where the hardware has an FMA ({@link Isa#fma()}), as in the Vector API kernels; without
 * one {@link Math#fma} would run through {@code BigDecimal}. Workspace: one packed block per thread, reused.
 */
public final class ScalarGemm implements GemmKernel {

    /** Depth of a packed block: four rows of A of this length stay in registers' reach (L1). */
    private static final int KB = 128;
    /** Columns of a packed block: 4 rows of C (4 KB) and 4 rows of B (4 KB) per step stay in L1. */
    private static final int NB = 256;
    /** Below this many multiply-adds packing costs more than it saves. */
    private static final long SMALL = 24L * 24 * 24;
    private static final boolean FMA = Isa.current().fma();
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** A thread's packed block of B, one array per row, and four rows of C. */
    private static final class Workspace {
        final float[][] b = new float[KB][NB];
        final float[][] c = new float[4][NB];
    }

    /** Creates the plain-Java implementation (stateless; its workspace is per thread). */
    public ScalarGemm() {
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int cRs, boolean accumulate) {
        if ((long) m * n * k < SMALL || m < 4) {
            naive(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return;
        }
        int bo = bOff, brs = bRs, bcs = bCs;
        blocked(m, n, k, a, aOff, aRs, aCs, (p, j0, nb, dst) -> {
            int src = bo + p * brs + j0 * bcs;
            if (bcs == 1) {
                System.arraycopy(b, src, dst, 0, nb);
            } else {
                for (int j = 0; j < nb; j++) {
                    dst[j] = b[src + j * bcs];
                }
            }
        }, c, cOff, cRs, accumulate);
    }

    /** Where {@link #blocked} finds the rows of B. */
    @FunctionalInterface
    interface RowsOfB {
        /**
         * Copies {@code B[p][j0 .. j0 + nb)} to {@code dst[0 .. nb)}.
         *
         * @param p the row
         * @param j0 the first column
         * @param nb how many columns
         * @param dst where they go (modified)
         */
        void copy(int p, int j0, int nb, float[] dst);
    }

    /**
     * The blocked product {@code C (+)= A·B} for any layout of B, which {@code b} copies out row by row into the
     * packed block: {@link #gemm} passes strided rows, the plain convolution kernels rows found through a table
     * and columns gathered from runs.
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a storage of A, {@code A[i][p] = a[aOff + i·aRs + p·aCs]}
     * @param aOff offset of A[0][0]
     * @param aRs row stride of A
     * @param aCs column stride of A
     * @param b copies rows of B
     * @param c storage of C, {@code C[i][j] = c[cOff + i·cRs + j]} (modified)
     * @param cOff offset of C[0][0]
     * @param cRs row stride of C
     * @param accumulate when true C is added to, otherwise overwritten
     */
    static void blocked(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, RowsOfB b, float[] c, int cOff,
                        int cRs, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * cRs, cOff + i * cRs + n, 0f);
            }
        }
        Workspace ws = WORKSPACE.get();
        float[][] rowsB = ws.b;
        float[] acc0 = ws.c[0], acc1 = ws.c[1], acc2 = ws.c[2], acc3 = ws.c[3];
        for (int jc = 0; jc < n; jc += NB) {
            int nb = Math.min(NB, n - jc);
            for (int pc = 0; pc < k; pc += KB) {
                int kb = Math.min(KB, k - pc);
                for (int p = 0; p < kb; p++) {
                    b.copy(pc + p, jc, nb, rowsB[p]);
                }
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    int c0 = cOff + i * cRs + jc;
                    System.arraycopy(c, c0, acc0, 0, nb);
                    System.arraycopy(c, c0 + cRs, acc1, 0, nb);
                    System.arraycopy(c, c0 + 2 * cRs, acc2, 0, nb);
                    System.arraycopy(c, c0 + 3 * cRs, acc3, 0, nb);
                    rows4(kb, nb, a, aOff + i * aRs + pc * aCs, aRs, aCs, rowsB, acc0, acc1, acc2, acc3);
                    System.arraycopy(acc0, 0, c, c0, nb);
                    System.arraycopy(acc1, 0, c, c0 + cRs, nb);
                    System.arraycopy(acc2, 0, c, c0 + 2 * cRs, nb);
                    System.arraycopy(acc3, 0, c, c0 + 3 * cRs, nb);
                }
                for (; i < m; i++) {
                    int c0 = cOff + i * cRs + jc;
                    System.arraycopy(c, c0, acc0, 0, nb);
                    row1(kb, nb, a, aOff + i * aRs + pc * aCs, aCs, rowsB, acc0);
                    System.arraycopy(acc0, 0, c, c0, nb);
                }
            }
        }
    }

    /**
     * Four rows of C, held in {@code acc0..acc3}, += four rows of A (from {@code a0}) times the packed rows of B, nb
     * wide. Every array is indexed by the same {@code j}: C2 vectorizes a loop only when it can prove that a store
     * does not feed a later load, and accesses to one array at different offsets defeat that proof.
     */
    private static void rows4(int kb, int nb, float[] a, int a0, int aRs, int aCs, float[][] rowsB, float[] acc0,
                              float[] acc1, float[] acc2, float[] acc3) {
        int p = 0;
        for (; p + 4 <= kb; p += 4) {
            int x0 = a0 + p * aCs, x1 = x0 + aRs, x2 = x1 + aRs, x3 = x2 + aRs;
            float a00 = a[x0], a01 = a[x0 + aCs], a02 = a[x0 + 2 * aCs], a03 = a[x0 + 3 * aCs];
            float a10 = a[x1], a11 = a[x1 + aCs], a12 = a[x1 + 2 * aCs], a13 = a[x1 + 3 * aCs];
            float a20 = a[x2], a21 = a[x2 + aCs], a22 = a[x2 + 2 * aCs], a23 = a[x2 + 3 * aCs];
            float a30 = a[x3], a31 = a[x3 + aCs], a32 = a[x3 + 2 * aCs], a33 = a[x3 + 3 * aCs];
            float[] b0 = rowsB[p], b1 = rowsB[p + 1], b2 = rowsB[p + 2], b3 = rowsB[p + 3];
            for (int j = 0; j < nb; j++) {
                float v0 = b0[j], v1 = b1[j], v2 = b2[j], v3 = b3[j];
                acc0[j] = madd(a03, v3, madd(a02, v2, madd(a01, v1, madd(a00, v0, acc0[j]))));
                acc1[j] = madd(a13, v3, madd(a12, v2, madd(a11, v1, madd(a10, v0, acc1[j]))));
                acc2[j] = madd(a23, v3, madd(a22, v2, madd(a21, v1, madd(a20, v0, acc2[j]))));
                acc3[j] = madd(a33, v3, madd(a32, v2, madd(a31, v1, madd(a30, v0, acc3[j]))));
            }
        }
        for (; p < kb; p++) {
            int x0 = a0 + p * aCs;
            float a0p = a[x0], a1p = a[x0 + aRs], a2p = a[x0 + 2 * aRs], a3p = a[x0 + 3 * aRs];
            float[] bp = rowsB[p];
            for (int j = 0; j < nb; j++) {
                float v = bp[j];
                acc0[j] = madd(a0p, v, acc0[j]);
                acc1[j] = madd(a1p, v, acc1[j]);
                acc2[j] = madd(a2p, v, acc2[j]);
                acc3[j] = madd(a3p, v, acc3[j]);
            }
        }
    }

    /** One row of C, held in {@code acc}, += one row of A (from {@code a0}) times the packed rows of B, nb wide. */
    private static void row1(int kb, int nb, float[] a, int a0, int aCs, float[][] rowsB, float[] acc) {
        for (int p = 0; p < kb; p++) {
            float ap = a[a0 + p * aCs];
            float[] bp = rowsB[p];
            for (int j = 0; j < nb; j++) {
                acc[j] = madd(ap, bp[j], acc[j]);
            }
        }
    }

    /** The plain i-p-j loop, for small products (here and in the Vector API kernel). */
    static void naive(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                              int bCs, float[] c, int cOff, int cRs, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRs;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * aRs + p * aCs];
                int bp = bOff + p * bRs;
                if (bCs == 1) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] = madd(av, b[bp + j], c[ci + j]);
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] = madd(av, b[bp + j * bCs], c[ci + j]);
                    }
                }
            }
        }
    }

    /** {@code x·y + acc}, fused where the hardware has an FMA. */
    private static float madd(float x, float y, float acc) {
        return FMA ? Math.fma(x, y, acc) : x * y + acc;
    }
}
