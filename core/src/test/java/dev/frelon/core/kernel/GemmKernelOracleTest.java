package dev.frelon.core.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * GEMM kernels: the plain one against a double-precision product, the Vector API one against the plain one over
 * many sizes (tile and block edges), transposed strides, offsets, padded C rows and accumulation; and the
 * multithreaded {@link Gemm#gemm} against a single thread.
 */
@ExtendWith(RestoresThreadCount.class)
class GemmKernelOracleTest {

    private static final float SENTINEL = 12345.5f;
    private static final int[] SIZES = {1, 3, 4, 5, 17, 63, 64, 65, 130, 257};
    private static final double U = Math.ulp(1f) / 2;

    /** One GEMM problem laid out in storage: A and B dense or transposed, at offsets; C with padded rows. */
    private static final class Problem {
        final int m, n, k, aOff, aRs, aCs, bOff, bRs, bCs, cOff, cRs;
        final boolean accumulate;
        final float[] a, b, c0;

        Problem(SplittableRandom r, int m, int n, int k, boolean aT, boolean bT, boolean accumulate) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.accumulate = accumulate;
            aOff = r.nextInt(3);
            bOff = r.nextInt(3);
            cOff = r.nextInt(3);
            // A is m x k: dense rows (aRs = k) or stored as its k x m transpose (aRs = 1, aCs = m).
            aRs = aT ? 1 : k;
            aCs = aT ? m : 1;
            bRs = bT ? 1 : n;
            bCs = bT ? k : 1;
            cRs = n + r.nextInt(3);
            a = random(r, aOff + m * k + 2);
            b = random(r, bOff + k * n + 2);
            c0 = new float[cOff + (m - 1) * cRs + n + 3];
            Arrays.fill(c0, SENTINEL);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c0[cOff + i * cRs + j] = accumulate ? (float) r.nextGaussian() : Float.NaN;
                }
            }
        }

        float a(int i, int p) {
            return a[aOff + i * aRs + p * aCs];
        }

        float b(int p, int j) {
            return b[bOff + p * bRs + j * bCs];
        }

        float[] run(GemmKernel kernel) {
            float[] c = c0.clone();
            kernel.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return c;
        }

        float[] runParallel() {
            float[] c = c0.clone();
            Gemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return c;
        }

        /** |A| |B| (+ |C|), the scale of each element's rounding error. */
        double[] magnitude() {
            double[] mag = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double av = Math.abs(a(i, p));
                    for (int j = 0; j < n; j++) {
                        mag[i * n + j] += av * Math.abs(b(p, j));
                    }
                }
                if (accumulate) {
                    for (int j = 0; j < n; j++) {
                        mag[i * n + j] += Math.abs(c0[cOff + i * cRs + j]);
                    }
                }
            }
            return mag;
        }

        double[] exact() {
            double[] ref = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double av = a(i, p);
                    for (int j = 0; j < n; j++) {
                        ref[i * n + j] += av * b(p, j);
                    }
                }
                if (accumulate) {
                    for (int j = 0; j < n; j++) {
                        ref[i * n + j] += c0[cOff + i * cRs + j];
                    }
                }
            }
            return ref;
        }

        /** Checks C against {@code expected} within {@code 2 (k + 2) u |A||B|}, and that padding is untouched. */
        void check(String what, float[] c, double[] expected, double[] mag) {
            boolean[] inside = new boolean[c.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int at = cOff + i * cRs + j;
                    inside[at] = true;
                    double bound = 2 * (k + 2) * U * mag[i * n + j] + 1e-30;
                    if (!(Math.abs(c[at] - expected[i * n + j]) <= bound)) {
                        fail(what + " C[" + i + "][" + j + "]: expected " + expected[i * n + j] + " but got " + c[at]
                                + " (bound " + bound + ")");
                    }
                }
            }
            for (int i = 0; i < c.length; i++) {
                if (!inside[i] && c[i] != SENTINEL) {
                    fail(what + ": wrote outside C at storage index " + i);
                }
            }
        }

        @Override
        public String toString() {
            return "m=" + m + " n=" + n + " k=" + k + " aRs=" + aRs + " aCs=" + aCs + " bRs=" + bRs + " bCs=" + bCs
                    + " cRs=" + cRs + " accumulate=" + accumulate;
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static double[] toDouble(float[] c, Problem p) {
        double[] d = new double[p.m * p.n];
        for (int i = 0; i < p.m; i++) {
            for (int j = 0; j < p.n; j++) {
                d[i * p.n + j] = c[p.cOff + i * p.cRs + j];
            }
        }
        return d;
    }

    @Test
    void scalarGemmMatchesDoublePrecision() {
        SplittableRandom r = new SplittableRandom(1);
        GemmKernel s = new ScalarGemm();
        int[] sizes = {1, 3, 4, 17, 65};
        // Past 24³ multiply-adds the blocked path: 65 rows end in a one-row step, k = 5 and 130 in a part-step of
        // depth and (130) a second depth block, 300 columns in a second column block.
        for (int m : sizes) {
            for (int n : new int[] {1, 3, 4, 17, 65, 300}) {
                for (int k : new int[] {0, 1, 5, 64, 130}) {
                    int variant = (m + 3 * n + 7 * k) % 8;
                    Problem p = new Problem(r, m, n, k, (variant & 1) != 0, (variant & 2) != 0, (variant & 4) != 0);
                    p.check("scalar " + p, p.run(s), p.exact(), p.magnitude());
                }
            }
        }
        // A zero in A is skipped by the scalar loop; it must still overwrite C when not accumulating.
        float[] c = {7, 7};
        s.gemm(1, 2, 1, new float[] {0}, 0, 1, 1, new float[] {1, 1}, 0, 2, 1, c, 0, 2, false);
        assertEquals(0f, c[0]);
        assertEquals(0f, c[1]);
    }

    @Test
    void vectorGemmMatchesScalarOverManyShapes() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        GemmKernel v = Kernels.vectorImplementation(GemmKernel.class), s = new ScalarGemm();
        SplittableRandom r = new SplittableRandom(2);
        int t = 0;
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    // Every triple runs plain (A, B dense, overwrite) and in one more layout, in rotation.
                    int variant = 1 + t++ % 7;
                    for (int layout : new int[] {0, variant}) {
                        Problem p = new Problem(r, m, n, k, (layout & 1) != 0, (layout & 2) != 0, (layout & 4) != 0);
                        float[] expected = p.run(s);
                        p.check("vector " + p, p.run(v), toDouble(expected, p), p.magnitude());
                    }
                }
            }
        }
    }

    @Test
    void vectorGemmAcrossBlockEdges() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        GemmKernel v = Kernels.vectorImplementation(GemmKernel.class), s = new ScalarGemm();
        SplittableRandom r = new SplittableRandom(3);
        // n past the widest packed panel (16 strips of 4 vectors of up to 16 floats), k past two depth blocks,
        // m past one row block; and degenerate k = 0. {260, 1030, 270}: C large enough for the deeper blocks
        // (two of 135), past one panel of columns. Up to 16 rows with a dense B, the tiles read B in place and
        // pack only the last strip: {16, 3920, 128} is a transposed convolution's (one output channel, 4×4 kernel,
        // 20 images of 14×14; its last strip is one vector), {16, 64, 700} has no partial strip, {13, 65, 400} a
        // one-column one, {11, 200, 50} a last strip of 8 columns, one vector or less at every width.
        int[][] shapes = {{9, 1100, 40}, {7, 1030, 300}, {140, 70, 520}, {4, 64, 0}, {129, 2, 33}, {33, 33, 33},
                {260, 1030, 270}, {16, 3920, 128}, {16, 64, 700}, {13, 65, 400}, {11, 200, 50}};
        for (int[] sh : shapes) {
            for (int layout = 0; layout < 8; layout++) {
                Problem p = new Problem(r, sh[0], sh[1], sh[2], (layout & 1) != 0, (layout & 2) != 0, (layout & 4) != 0);
                p.check("vector " + p, p.run(v), toDouble(p.run(s), p), p.magnitude());
            }
        }
    }

    /**
     * Products of 7 to 16 rows with a dense B run tall tiles that read B in place, also for the last strip when b
     * holds more floats past it (the next row, in a real tensor): those lanes' sums must never reach C. Here the
     * floats past B are NaN, and B's values sit in a larger array read at a row stride wider than n, so the last
     * strip reads the next row's values or the NaN slack. Each result must equal, bit for bit, the same product with
     * B stored transposed, which the packed path, or {@code transposedB} where its depth is at least twice its rows,
     * computes with the same multiply-adds in the same order.
     */
    @Test
    void tallTilesReadingBInPlaceGiveThePackedPathsBits() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        GemmKernel v = Kernels.vectorImplementation(GemmKernel.class), s = new ScalarGemm();
        SplittableRandom r = new SplittableRandom(6);
        // {16, 196, 128}: a transposed convolution's image (last strip 4 columns at 512 bits); {13, 84, 50}: a last
        // strip of 20 columns (more than one vector at 512 bits); {7, 97, 300}: 7 rows, two depth blocks;
        // {16, 3920, 128}: a batch of 20 such images; {9, 64, 40}: no last strip at 512 bits.
        int[][] shapes = {{16, 196, 128}, {13, 84, 50}, {7, 97, 300}, {16, 3920, 128}, {9, 64, 40}, {12, 70, 90}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (int slackRows : new int[] {0, 1}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    int bRs = n + 3;
                    float[] a = random(r, m * k), bDense = new float[(k + slackRows) * bRs + 40];
                    Arrays.fill(bDense, Float.NaN);
                    float[] bT = new float[n * k];
                    for (int p = 0; p < k + slackRows; p++) {
                        for (int j = 0; j < n; j++) {
                            float x = (float) (r.nextDouble() * 2 - 1);
                            bDense[p * bRs + j] = x;
                            if (p < k) {
                                bT[j * k + p] = x;
                            }
                        }
                    }
                    float[] c0 = new float[m * n];
                    for (int i = 0; i < c0.length; i++) {
                        c0[i] = accumulate ? (float) r.nextGaussian() : Float.NaN;
                    }
                    // A stored transposed in both runs, so that neither takes the dot-product path.
                    float[] inPlace = c0.clone(), packed = c0.clone(), plain = c0.clone();
                    v.gemm(m, n, k, a, 0, 1, m, bDense, 0, bRs, 1, inPlace, 0, n, accumulate);
                    v.gemm(m, n, k, a, 0, 1, m, bT, 0, 1, k, packed, 0, n, accumulate);
                    s.gemm(m, n, k, a, 0, 1, m, bT, 0, 1, k, plain, 0, n, accumulate);
                    String what = Arrays.toString(sh) + " slack rows " + slackRows + " accumulate " + accumulate;
                    for (int i = 0; i < m * n; i++) {
                        assertEquals(Float.floatToRawIntBits(packed[i]), Float.floatToRawIntBits(inPlace[i]),
                                what + " at " + i + ": " + packed[i] + " packed, " + inPlace[i] + " in place");
                        double bound = 2 * (k + 2) * U * (k + Math.abs(c0[i] == c0[i] ? c0[i] : 0)) + 1e-30;
                        assertEquals(plain[i], inPlace[i], bound, what + " against the plain kernel at " + i);
                    }
                }
            }
        }
    }

    /**
     * A product with a transposed B and a depth of at least twice its rows (a Linear layer's forward, X·Wᵀ, at a
     * small batch) is computed as Cᵀ = W·Xᵀ with W's rows read in place, where the vector width has 32 registers and
     * FMA and the tiles pad little. Each result must equal, bit for bit, the same product with B stored dense, which
     * the packed path computes with the same multiply-adds in the same order, and the plain kernel within rounding;
     * nothing outside C may be written. W sits in a wider array (a row stride past k, NaN between rows), X too, and
     * C has padded rows.
     */
    @Test
    void transposedBReadInPlaceGivesThePackedPathsBits() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        GemmKernel v = Kernels.vectorImplementation(GemmKernel.class), s = new ScalarGemm();
        SplittableRandom r = new SplittableRandom(8);
        // {64, 256, 784}: an MLP's first layer at batch 64, whose last tile of Cᵀ has 4 of its 6 rows; {64, 97, 300},
        // {64, 50, 200}, {64, 101, 130}: last tiles of 1, 2 and 5 rows; {120, 70, 300}: a last strip of 56 rows of
        // C at 512 bits; {128, 70, 260}: two full strips at 512 bits; {64, 3456, 128}: Cᵀ fills the workspace's
        // 221,184 floats, k = 2m; {700, 100, 1400}: in place at 512 bits, declined at 128 (Aᵀ's strips would not fit
        // the packed-B workspace); {40, 100, 200}: declined (its tiles would pad more than the packed path's);
        // {64, 300, 100}: k < 2m, the packed path itself.
        int[][] shapes = {{64, 256, 784}, {64, 97, 300}, {64, 50, 200}, {64, 101, 130}, {120, 70, 300},
                {128, 70, 260}, {64, 3456, 128}, {700, 100, 1400}, {40, 100, 200}, {64, 300, 100}};
        if (VectorGemm.WIDE_FILE && VectorWidth.FMA) {
            assertTrue(VectorGemm.transposesC(64, 256, 784), "an MLP's first layer takes the in-place path");
            assertTrue(Arrays.stream(shapes).filter(sh -> VectorGemm.transposesC(sh[0], sh[1], sh[2])).count() >= 7,
                    "most shapes take the in-place path");
        }
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (int layout = 0; layout < 4; layout++) {
                boolean aT = (layout & 1) != 0, accumulate = (layout & 2) != 0;
                int aRs = aT ? 1 : k + 5, aCs = aT ? m + 2 : 1, wRs = k + 3, cRs = n + 2, aOff = 1, wOff = 2, cOff = 3;
                float[] a = new float[aOff + (aT ? (k - 1) * aCs + m : (m - 1) * aRs + k) + 4];
                float[] w = new float[wOff + (n - 1) * wRs + k + 4], bDense = new float[k * n];
                Arrays.fill(a, Float.NaN);
                Arrays.fill(w, Float.NaN);
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        a[aOff + i * aRs + p * aCs] = (float) (r.nextDouble() * 2 - 1);
                    }
                }
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        float x = (float) (r.nextDouble() * 2 - 1);
                        w[wOff + j * wRs + p] = x;
                        bDense[p * n + j] = x;
                    }
                }
                float[] c0 = new float[cOff + (m - 1) * cRs + n + 3];
                Arrays.fill(c0, SENTINEL);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        c0[cOff + i * cRs + j] = accumulate ? (float) r.nextGaussian() : Float.NaN;
                    }
                }
                float[] inPlace = c0.clone(), packed = c0.clone(), plain = c0.clone();
                v.gemm(m, n, k, a, aOff, aRs, aCs, w, wOff, 1, wRs, inPlace, cOff, cRs, accumulate);
                v.gemm(m, n, k, a, aOff, aRs, aCs, bDense, 0, n, 1, packed, cOff, cRs, accumulate);
                s.gemm(m, n, k, a, aOff, aRs, aCs, bDense, 0, n, 1, plain, cOff, cRs, accumulate);
                String what = Arrays.toString(sh) + (aT ? " A transposed" : " A dense") + " accumulate " + accumulate;
                for (int i = 0; i < c0.length; i++) {
                    assertEquals(Float.floatToRawIntBits(packed[i]), Float.floatToRawIntBits(inPlace[i]),
                            what + " at storage index " + i + ": " + packed[i] + " packed, " + inPlace[i]
                                    + " in place");
                    boolean inside = i >= cOff && (i - cOff) % cRs < n && (i - cOff) / cRs < m;
                    if (!inside) {
                        assertEquals(SENTINEL, inPlace[i], what + ": wrote outside C at storage index " + i);
                    } else {
                        double bound = 2 * (k + 2) * U * (k + (accumulate ? Math.abs(c0[i]) : 0)) + 1e-30;
                        assertEquals(plain[i], inPlace[i], bound, what + " against the plain kernel at " + i);
                    }
                }
            }
        }
    }

    @Test
    void vectorGemmDotTilesForSkinnyABTransposed() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        GemmKernel v = Kernels.vectorImplementation(GemmKernel.class), s = new ScalarGemm();
        SplittableRandom r = new SplittableRandom(5);
        // A with dense rows, B with dense columns (B stored transposed): the blocked dot-product path when the
        // smaller side is at most 32 and k is long, with 4×4 blocks, leftover rows, leftover columns, and k
        // multiples of the vector length or not; the conv weight-gradient shapes of LeNet (16×150, 6×25). Sums
        // longer than 1,536 run in chunks whose vector accumulators carry over in a partials buffer ({6, 25, 2352}:
        // three chunks, the last ragged); {600, 32, 1600} needs several groups of rows for its partials at every
        // vector width, {130, 13, 3000} a group with a last row block and column past the 4×4 blocks, and {4, 600,
        // 1600} one row of blocks whose partials outgrow the buffer's usual 128 KB.
        int[][] shapes = {{16, 150, 420}, {6, 25, 2352}, {4, 4, 64}, {5, 7, 65}, {3, 33, 100}, {32, 200, 129},
                {1, 1, 64}, {2, 9, 1000}, {33, 32, 70}, {17, 40, 257}, {7, 3, 80}, {600, 32, 1600}, {130, 13, 3000},
                {4, 600, 1600}};
        for (int[] sh : shapes) {
            for (boolean accumulate : new boolean[] {false, true}) {
                Problem p = new Problem(r, sh[0], sh[1], sh[2], false, true, accumulate);
                p.check("dot tiles " + p, p.run(v), toDouble(p.run(s), p), p.magnitude());
            }
        }
    }

    @Test
    void multithreadedGemmEqualsSingleThreaded() {
        SplittableRandom r = new SplittableRandom(4);
        // Column split (n >= m), row split (m > n), and small products that stay on the caller's thread; bands
        // narrow or short enough to take the kernel's unpacked path ({9, 70, 500}: the second band is 6 columns;
        // {10, 3, 9000} on 5 threads: the last band is 2 rows). Those sum in another order than the packed path,
        // so threads agree to rounding, not bit for bit.
        // Products with a large C (>= 2^18 elements) share their packed B between threads and split by rows
        // ({260, 1030, 270}: deeper blocks, a second panel of columns one strip wide) or, when rows would split
        // unevenly, by strips of B ({7, 37500, 20} on 5 threads: 2 row tiles, 16 strips per panel).
        int[][] shapes = {{70, 200, 90}, {300, 50, 40}, {257, 130, 65}, {8, 8, 8}, {5, 1000, 60}, {1000, 3, 100},
                {9, 70, 500}, {10, 3, 9000}, {64, 256, 100}, {260, 1030, 270}, {7, 37500, 20}};
        for (int[] sh : shapes) {
            for (int layout = 0; layout < 8; layout++) {
                Problem p = new Problem(r, sh[0], sh[1], sh[2], (layout & 1) != 0, (layout & 2) != 0, (layout & 4) != 0);
                Parallel.setThreads(1);
                float[] one = p.runParallel();
                Parallel.setThreads(2);
                float[] two = p.runParallel();
                Parallel.setThreads(5);
                float[] five = p.runParallel();
                double[] mag = p.magnitude();
                p.check("1 thread " + p, one, p.exact(), mag);
                p.check("2 threads vs 1 " + p, two, toDouble(one, p), mag);
                p.check("5 threads vs 1 " + p, five, toDouble(one, p), mag);
            }
        }
    }

    /** A large C with a depth past one large block (two blocks of 400), on one and two threads, against double. */
    @Test
    void largeProductsWithDeepBlocksMatchDoublePrecision() {
        SplittableRandom r = new SplittableRandom(5);
        Problem p = new Problem(r, 512, 520, 800, false, true, true);
        double[] exact = p.exact(), mag = p.magnitude();
        Parallel.setThreads(1);
        p.check("1 thread " + p, p.runParallel(), exact, mag);
        Parallel.setThreads(2);
        p.check("2 threads " + p, p.runParallel(), exact, mag);
    }

    @Test
    void providerKernelHandlesEmptyProducts() {
        for (GemmKernel g : Kernels.vectorModulePresent()
                ? new GemmKernel[] {new ScalarGemm(), Kernels.vectorImplementation(GemmKernel.class)}
                : new GemmKernel[] {new ScalarGemm()}) {
            float[] c = {SENTINEL, 3, 4, SENTINEL};
            g.gemm(0, 2, 3, new float[0], 0, 3, 1, new float[6], 0, 2, 1, c, 1, 2, false);
            g.gemm(1, 0, 3, new float[3], 0, 3, 1, new float[0], 0, 0, 1, c, 1, 2, false);
            assertEquals(3f, c[1]);
            g.gemm(1, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 2, 1, c, 1, 2, true);
            assertEquals(3f, c[1]);
            assertEquals(4f, c[2]);
            g.gemm(1, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 2, 1, c, 1, 2, false);
            assertEquals(0f, c[1]);
            assertEquals(0f, c[2]);
            assertEquals(SENTINEL, c[0]);
            assertEquals(SENTINEL, c[3]);
        }
    }
}
