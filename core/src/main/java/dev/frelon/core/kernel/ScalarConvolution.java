package dev.frelon.core.kernel;

import java.util.Arrays;

/**
 * The plain loops of the row-table and column-table products, the oracle of the Vector API twin (which also runs
 * them for products too small for its tiles), product after product. Small products run the simplest loops: a
 * row-table product as axpys over the rows of B, a column-table product as one dot product per C value. Larger
 * ones run {@link ScalarGemm}'s blocked loop, which C2 vectorises, with the rows of B copied out of the table
 * (or gathered from the column runs) block by block. Reads nothing past a run.
 */
public final class ScalarConvolution implements ConvolutionKernels {

    /** From this many multiply-adds on, the blocked loop. */
    private static final long SMALL = 24L * 24 * 24;

    /** Creates the plain kernels (stateless). */
    public ScalarConvolution() {
    }

    @Override
    public void rowTableProduct(int m, int n, int k, Strided a, RowTable b, DenseRows c, boolean accumulate,
                                Batch batch) {
        for (int e = 0; e < batch.count(); e++) {
            rowTable(m, n, k, a.data(), a.offset(), a.rowStride(), a.colStride(), b.data(),
                    b.offset() + e * batch.bStep(), b.rows(), c.data(), c.offset() + e * batch.cStep(), c.rowStride(),
                    accumulate);
        }
    }

    @Override
    public void columnTableProduct(int m, int n, int k, DenseRows a, ColumnTable b, DenseRows c, boolean accumulate,
                                   Sum sum) {
        for (int e = 0; e < sum.count(); e++) {
            columnTable(m, n, k, a.data(), a.offset() + e * sum.aStep(), a.rowStride(), b.data(),
                    b.offset() + e * sum.bStep(), b.columns(), c.data(), c.offset(), c.rowStride(),
                    accumulate || e > 0);
        }
        if (sum.count() == 0 && !accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c.data(), c.offset() + i * c.rowStride(), c.offset() + i * c.rowStride() + n, 0f);
            }
        }
    }

    /**
     * One row-table product, {@code C (+)= A·B} with {@code A[i][p] = a[aOff + i·aRs + p·aCs]},
     * {@code B[p][j] = b[bOff + rows[p] + j]}, {@code C[i][j] = c[cOff + i·cRs + j]}: axpys over the rows of B.
     */
    private static void rowTable(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int[] rows,
                         float[] c, int cOff, int cRs, boolean accumulate) {
        if ((long) m * n * k >= SMALL && m >= 4) {
            ScalarGemm.blocked(m, n, k, a, aOff, aRs, aCs,
                    (p, j0, nb, dst) -> System.arraycopy(b, bOff + rows[p] + j0, dst, 0, nb), c, cOff, cRs, accumulate);
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRs;
            if (!accumulate) {
                Arrays.fill(c, ci, ci + n, 0f);
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
     * One column-table product, {@code C (+)= A·B} with {@code A[i][p] = a[aOff + i·aRs + p]},
     * {@code B[p][j] = b[bOff + cols[j] + p]}, {@code C[i][j] = c[cOff + i·cRs + j]}: one dot product per C value.
     */
    private static void columnTable(int m, int n, int k, float[] a, int aOff, int aRs, float[] b, int bOff, int[] cols,
                            float[] c, int cOff, int cRs, boolean accumulate) {
        if ((long) m * n * k >= SMALL && m >= 4 && n >= 64) {
            // Plain float dot products do not vectorise (C2 keeps their order of additions); gathering B's columns
            // into rows makes it a product the blocked loop vectorises, for one copy per m multiply-adds. With few
            // columns (LeNet's first layer: 25) the rows are too short to vectorise and the gather does not pay.
            ScalarGemm.blocked(m, n, k, a, aOff, aRs, 1, (p, j0, nb, dst) -> {
                for (int j = 0; j < nb; j++) {
                    dst[j] = b[bOff + cols[j0 + j] + p];
                }
            }, c, cOff, cRs, accumulate);
            return;
        }
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

    @Override
    public void addRows(int rows, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride) {
        ConvolutionKernels.checkRows("addRows", rows, n);
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * aStride, br = bOff + r * bStride;
            for (int j = 0; j < n; j++) {
                b[br + j] += a[ar + j];
            }
        }
    }

    @Override
    public void copyRows(int rows, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride) {
        ConvolutionKernels.checkRows("copyRows", rows, n);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, aOff + r * aStride, b, bOff + r * bStride, n);
        }
    }
}
