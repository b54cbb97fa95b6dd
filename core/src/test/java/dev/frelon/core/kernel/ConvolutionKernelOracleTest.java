package dev.frelon.core.kernel;

import dev.frelon.core.kernel.ConvolutionKernels.Batch;
import dev.frelon.core.kernel.ConvolutionKernels.ColumnTable;
import dev.frelon.core.kernel.ConvolutionKernels.DenseRows;
import dev.frelon.core.kernel.ConvolutionKernels.RowTable;
import dev.frelon.core.kernel.ConvolutionKernels.Strided;
import dev.frelon.core.kernel.ConvolutionKernels.Sum;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The row-table and column-table products of stride-1 convolutions: the plain kernels against double precision
 * (strided A, batches, sums, count 0, nothing written outside C), and the Vector API kernels against the plain ones
 * over convolution shapes, tile edges, overlapping runs, batches, sums over products and accumulation; and the
 * row additions and copies of a strided fold and unfold on both paths.
 */
class ConvolutionKernelOracleTest {

    private static final double U = Math.ulp(1f) / 2;
    private static final float SENTINEL = 12345.5f;

    private static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** The plain kernels, and the Vector API ones when the module is present. */
    private static ConvolutionKernels[] bothPaths() {
        ConvolutionKernels plain = new ScalarConvolution();
        return Kernels.vectorModulePresent()
                ? new ConvolutionKernels[] {plain, Kernels.vectorImplementation(ConvolutionKernels.class)}
                : new ConvolutionKernels[] {plain};
    }

    @Test
    void plainRowTableMatchesDoublePrecision() {
        ConvolutionKernels s = new ScalarConvolution();
        SplittableRandom r = new SplittableRandom(10);
        // A read transposed (column stride m), B rows at table offsets, count products side by side in C.
        int[][] shapes = {{1, 1, 1}, {5, 9, 4}, {6, 30, 25}, {3, 17, 0}, {7, 2, 13}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (int count : new int[] {0, 1, 3}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    int[] rows = new int[k];
                    int span = 0;
                    for (int p = 0; p < k; p++) {
                        rows[p] = r.nextInt(2 * n + 3);
                        span = Math.max(span, rows[p] + n);
                    }
                    int bOff = 2, bStep = span + r.nextInt(3), cRs = n + r.nextInt(3), cStep = m * cRs + r.nextInt(3);
                    float[] a = random(r, 1 + m * k), b = random(r, bOff + Math.max(1, count) * bStep);
                    float[] c0 = new float[1 + Math.max(1, count) * cStep + 2];
                    Arrays.fill(c0, SENTINEL);
                    boolean[] inside = new boolean[c0.length];
                    for (int e = 0; e < count; e++) {
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                int at = 1 + e * cStep + i * cRs + j;
                                c0[at] = (float) r.nextGaussian();
                                inside[at] = true;
                            }
                        }
                    }
                    float[] c = c0.clone();
                    s.rowTableProduct(m, n, k, new Strided(a, 1, 1, m), new RowTable(b, bOff, rows),
                            new DenseRows(c, 1, cRs), accumulate, new Batch(count, bStep, cStep));
                    for (int e = 0; e < count; e++) {
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double sum = accumulate ? c0[1 + e * cStep + i * cRs + j] : 0, mag = Math.abs(sum);
                                for (int p = 0; p < k; p++) {
                                    double prod = (double) a[1 + i + p * m] * b[bOff + e * bStep + rows[p] + j];
                                    sum += prod;
                                    mag += Math.abs(prod);
                                }
                                float got = c[1 + e * cStep + i * cRs + j];
                                if (!(Math.abs(got - sum) <= 2 * (k + 2) * U * mag + 1e-30)) {
                                    fail("plain row table m=" + m + " n=" + n + " k=" + k + " count=" + count + " acc="
                                            + accumulate + " C" + e + "[" + i + "][" + j + "]: expected " + sum
                                            + " but got " + got);
                                }
                            }
                        }
                    }
                    for (int i = 0; i < c.length; i++) {
                        if (!inside[i] && c[i] != SENTINEL) {
                            fail("plain row table m=" + m + " n=" + n + " k=" + k + " count=" + count
                                    + ": wrote outside C at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void plainColumnTableMatchesDoublePrecision() {
        ConvolutionKernels s = new ScalarConvolution();
        SplittableRandom r = new SplittableRandom(11);
        // Dense A rows, B columns at table offsets, count products summed into one C (count 0: C zeroed or kept).
        int[][] shapes = {{1, 1, 1}, {4, 9, 20}, {6, 25, 70}, {3, 5, 0}, {2, 3, 7}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (int count : new int[] {0, 1, 3}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    int[] cols = new int[n];
                    int span = 0;
                    for (int j = 0; j < n; j++) {
                        cols[j] = r.nextInt(k + 9);
                        span = Math.max(span, cols[j] + k);
                    }
                    int aOff = 1, bOff = 3, aRs = count * k + r.nextInt(3), aStep = k, bStep = span + r.nextInt(4);
                    int cRs = n + r.nextInt(3);
                    float[] a = random(r, aOff + m * aRs + 1), b = random(r, bOff + Math.max(1, count) * bStep);
                    float[] c0 = new float[1 + m * cRs + 2];
                    Arrays.fill(c0, SENTINEL);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            c0[1 + i * cRs + j] = (float) r.nextGaussian();
                        }
                    }
                    float[] c = c0.clone();
                    s.columnTableProduct(m, n, k, new DenseRows(a, aOff, aRs), new ColumnTable(b, bOff, cols),
                            new DenseRows(c, 1, cRs), accumulate, new Sum(count, aStep, bStep));
                    boolean[] inside = new boolean[c.length];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            int at = 1 + i * cRs + j;
                            inside[at] = true;
                            double sum = accumulate ? c0[at] : 0, mag = Math.abs(sum);
                            for (int e = 0; e < count; e++) {
                                for (int p = 0; p < k; p++) {
                                    double prod = (double) a[aOff + e * aStep + i * aRs + p]
                                            * b[bOff + e * bStep + cols[j] + p];
                                    sum += prod;
                                    mag += Math.abs(prod);
                                }
                            }
                            if (!(Math.abs(c[at] - sum) <= 2 * (count * k + 2) * U * mag + 1e-30)) {
                                fail("plain column table m=" + m + " n=" + n + " k=" + k + " count=" + count + " acc="
                                        + accumulate + " C[" + i + "][" + j + "]: expected " + sum + " but got "
                                        + c[at]);
                            }
                        }
                    }
                    for (int i = 0; i < c.length; i++) {
                        if (!inside[i] && c[i] != SENTINEL) {
                            fail("plain column table m=" + m + " n=" + n + " k=" + k + " count=" + count
                                    + ": wrote outside C at " + i);
                        }
                    }
                }
            }
        }
    }

    /**
     * addRows adds each row once and copyRows copies it, float by float, and both leave every other float as it was,
     * on both paths: rows as long as a DCGAN image row (14) and around the vector widths (1 to 40 floats), with and
     * without room for a whole vector past the last row, and rows of b that are closer together than a vector.
     */
    @Test
    void addRowsAndCopyRowsTouchEachRowOnceAndNothingElse() {
        ConvolutionKernels[] paths = bothPaths();
        SplittableRandom r = new SplittableRandom(12);
        for (int n : new int[] {0, 1, 3, 7, 8, 14, 16, 17, 31, 40}) {
            for (int rows : new int[] {0, 1, 3, 14}) {
                for (int slack : new int[] {0, 64}) {
                    int aOff = r.nextInt(3), bOff = r.nextInt(3);
                    int aStride = n + r.nextInt(4), bStride = n + r.nextInt(3);
                    float[] a = random(r, aOff + Math.max(0, rows - 1) * aStride + n + slack);
                    float[] b0 = random(r, bOff + Math.max(0, rows - 1) * bStride + n + slack);
                    // NaN just past each row: a lane of a that reached b would show, and b's must stay NaN.
                    for (int i = 0; i < rows && slack > 0; i++) {
                        a[aOff + i * aStride + n] = Float.NaN;
                        b0[bOff + i * bStride + n] = Float.NaN;
                    }
                    float[] a0 = a.clone();
                    for (boolean add : new boolean[] {true, false}) {
                        float[] expected = b0.clone();
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < n; j++) {
                                int at = bOff + i * bStride + j;
                                expected[at] = add ? b0[at] + a[aOff + i * aStride + j] : a[aOff + i * aStride + j];
                            }
                        }
                        for (ConvolutionKernels k : paths) {
                            float[] b = b0.clone();
                            if (add) {
                                k.addRows(rows, n, a, aOff, aStride, b, bOff, bStride);
                            } else {
                                k.copyRows(rows, n, a, aOff, aStride, b, bOff, bStride);
                            }
                            if (!Arrays.equals(a0, a)) {
                                fail(k.getClass().getSimpleName() + " changed its input a, rows=" + rows + " n=" + n);
                            }
                            if (!Arrays.equals(expected, b)) {
                                fail(k.getClass().getSimpleName() + (add ? ".addRows" : ".copyRows") + " rows="
                                        + rows + " n=" + n + " strides " + aStride + ", " + bStride + " slack "
                                        + slack + ": " + Arrays.toString(b) + " instead of "
                                        + Arrays.toString(expected));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowKernelsRejectNegativeCounts() {
        float[] a = new float[64], b = new float[64];
        for (ConvolutionKernels k : bothPaths()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> k.copyRows(1, -3, a, 0, 8, b, 0, 8));
            assertEquals("copyRows: rows and floats per row must be ≥ 0, got 1 rows of -3", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.addRows(-1, 4, a, 0, 8, b, 0, 8));
            assertEquals("addRows: rows and floats per row must be ≥ 0, got -1 rows of 4", e.getMessage());
        }
    }

    @Test
    void batchesAndSumsRejectNegativeCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Batch(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sum(-1, 0, 0));
    }

    @Test
    void vectorRowTableMatchesPlainRowTable() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        ConvolutionKernels v = Kernels.vectorImplementation(ConvolutionKernels.class), s = new ScalarConvolution();
        SplittableRandom r = new SplittableRandom(6);
        // B rows are overlapping runs of one array at table offsets (as in a stride-1 convolution); the LeNet
        // shapes (6×896×25, 16×140×150), tile edges in m and n, k past a depth block, tiny n (plain fallback).
        int[][] shapes = {{6, 896, 25}, {16, 140, 150}, {1, 1, 1}, {7, 65, 3}, {13, 200, 300}, {6, 64, 9},
                {5, 15, 4}, {300, 70, 20}, {24, 144, 40}, {8, 48, 7}, {9, 47, 130}, {17, 100, 1}, {100, 70, 400}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (boolean accumulate : new boolean[] {false, true}) {
                int[] rows = new int[k];
                int span = 0;
                for (int p = 0; p < k; p++) {
                    rows[p] = r.nextInt(3 * n + 5);
                    span = Math.max(span, rows[p] + n);
                }
                int bOff = r.nextInt(4);
                float[] a = random(r, m * k + 1), b = random(r, bOff + span + ConvolutionKernels.ROW_TABLE_SLACK);
                int cRs = n + r.nextInt(3);
                float[] c0 = random(r, m * cRs + 2);
                float[] expected = c0.clone(), actual = c0.clone();
                s.rowTableProduct(m, n, k, new Strided(a, 1, k, 1), new RowTable(b, bOff, rows),
                        new DenseRows(expected, 1, cRs), accumulate);
                v.rowTableProduct(m, n, k, new Strided(a, 1, k, 1), new RowTable(b, bOff, rows),
                        new DenseRows(actual, 1, cRs), accumulate);
                for (int i = 0; i < c0.length; i++) {
                    boolean inside = i >= 1 && (i - 1) / cRs < m && (i - 1) % cRs < n;
                    double bound = inside ? 2 * (k + 2) * U * (k + 1) : 0;
                    if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
                        fail("rowTableProduct m=" + m + " n=" + n + " k=" + k + " acc=" + accumulate + " at " + i
                                + ": expected " + expected[i] + " but got " + actual[i]);
                    }
                }
            }
        }
    }

    @Test
    void vectorRowTableBatchMatchesOneByOne() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        ConvolutionKernels v = Kernels.vectorImplementation(ConvolutionKernels.class), s = new ScalarConvolution();
        SplittableRandom r = new SplittableRandom(8);
        // count products sharing A (both tile shapes, a depth split, the plain fallback for n < 16).
        int[][] shapes = {{16, 140, 150, 3}, {6, 896, 25, 2}, {100, 70, 400, 2}, {5, 9, 4, 4}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2], count = sh[3];
            int[] rows = new int[k];
            int span = 0;
            for (int p = 0; p < k; p++) {
                rows[p] = r.nextInt(2 * n + 3);
                span = Math.max(span, rows[p] + n);
            }
            int bStep = span + r.nextInt(5), cStep = m * n + r.nextInt(5);
            float[] a = random(r, m * k), b = random(r, count * bStep + ConvolutionKernels.ROW_TABLE_SLACK);
            float[] expected = new float[count * cStep], actual = new float[count * cStep];
            for (int e = 0; e < count; e++) {
                s.rowTableProduct(m, n, k, new Strided(a, 0, k, 1), new RowTable(b, e * bStep, rows),
                        new DenseRows(expected, e * cStep, n), false);
            }
            v.rowTableProduct(m, n, k, new Strided(a, 0, k, 1), new RowTable(b, 0, rows), new DenseRows(actual, 0, n),
                    false, new Batch(count, bStep, cStep));
            for (int i = 0; i < expected.length; i++) {
                if (!(Math.abs(actual[i] - expected[i]) <= 2 * (k + 2) * U * k)) {
                    fail("rowTableProduct batch m=" + m + " n=" + n + " k=" + k + " at " + i + ": expected "
                            + expected[i] + " but got " + actual[i]);
                }
            }
        }
    }

    @Test
    void vectorColumnTableSumsOverProducts() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        ConvolutionKernels v = Kernels.vectorImplementation(ConvolutionKernels.class), s = new ScalarConvolution();
        SplittableRandom r = new SplittableRandom(9);
        // count products summed into one C (LeNet conv2's batched weight gradient, 16×150 over 144-float runs;
        // ragged k with scalar ends; leftover rows and columns; short k on the plain path; count 0 on the tiled
        // path and, last, on the plain path).
        int[][] shapes = {{16, 150, 144, 3}, {6, 25, 130, 4}, {5, 7, 65, 2}, {4, 9, 20, 3}, {3, 4, 64, 0},
                {3, 4, 5, 0}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2], count = sh[3];
            for (boolean accumulate : new boolean[] {false, true}) {
                int[] cols = new int[n];
                int span = 0;
                for (int j = 0; j < n; j++) {
                    cols[j] = r.nextInt(k + 9);
                    span = Math.max(span, cols[j] + k);
                }
                int aRs = count * k + r.nextInt(3), bStep = span + r.nextInt(4);
                float[] a = random(r, m * aRs + 1), b = random(r, Math.max(1, count) * bStep);
                float[] c0 = random(r, m * n), expected = c0.clone(), actual = c0.clone();
                for (int e = 0; e < count; e++) {
                    s.columnTableProduct(m, n, k, new DenseRows(a, e * k, aRs), new ColumnTable(b, e * bStep, cols),
                            new DenseRows(expected, 0, n), accumulate || e > 0);
                }
                if (count == 0 && !accumulate) {
                    Arrays.fill(expected, 0f);
                }
                v.columnTableProduct(m, n, k, new DenseRows(a, 0, aRs), new ColumnTable(b, 0, cols),
                        new DenseRows(actual, 0, n), accumulate, new Sum(count, k, bStep));
                for (int i = 0; i < expected.length; i++) {
                    if (!(Math.abs(actual[i] - expected[i]) <= 2 * (count * k + 2) * U * (count * k + 1))) {
                        fail("columnTableProduct count=" + count + " m=" + m + " n=" + n + " k=" + k + " at " + i
                                + ": expected " + expected[i] + " but got " + actual[i]);
                    }
                }
            }
        }
    }

    @Test
    void vectorColumnTableMatchesPlainColumnTable() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        ConvolutionKernels v = Kernels.vectorImplementation(ConvolutionKernels.class), s = new ScalarConvolution();
        SplittableRandom r = new SplittableRandom(7);
        // B columns are overlapping runs of one array at table offsets; LeNet conv1's weight gradient per image
        // (6×25×896), 4×4 blocks with leftover rows and columns, k not a multiple of the vector length, short k.
        int[][] shapes = {{6, 25, 896}, {16, 150, 140}, {4, 4, 64}, {5, 7, 65}, {1, 1, 3}, {9, 13, 300}, {3, 2, 17}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (boolean accumulate : new boolean[] {false, true}) {
                int[] cols = new int[n];
                int span = 0;
                for (int j = 0; j < n; j++) {
                    cols[j] = r.nextInt(2 * k + 5);
                    span = Math.max(span, cols[j] + k);
                }
                int bOff = r.nextInt(4), aRs = k + r.nextInt(3);
                float[] a = random(r, 1 + m * aRs), b = random(r, bOff + span);
                int cRs = n + r.nextInt(3);
                float[] c0 = random(r, m * cRs + 2);
                float[] expected = c0.clone(), actual = c0.clone();
                s.columnTableProduct(m, n, k, new DenseRows(a, 1, aRs), new ColumnTable(b, bOff, cols),
                        new DenseRows(expected, 1, cRs), accumulate);
                v.columnTableProduct(m, n, k, new DenseRows(a, 1, aRs), new ColumnTable(b, bOff, cols),
                        new DenseRows(actual, 1, cRs), accumulate);
                for (int i = 0; i < c0.length; i++) {
                    boolean inside = i >= 1 && (i - 1) / cRs < m && (i - 1) % cRs < n;
                    double bound = inside ? 2 * (k + 2) * U * (k + 1) : 0;
                    if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
                        fail("columnTableProduct m=" + m + " n=" + n + " k=" + k + " acc=" + accumulate + " at " + i
                                + ": expected " + expected[i] + " but got " + actual[i]);
                    }
                }
            }
        }
    }
}
