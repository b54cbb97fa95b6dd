package dev.frelon.core.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Gemm#gemmBatched} and {@link Gemm#gemmStridedBatched} against products computed one by one in double. */
@ExtendWith(RestoresThreadCount.class)
class GemmBatchedTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** C_e = A_e·B_e in double, A_e row-major m×k at aOffs[e], B_e stored transposed (n×k) at bOffs[e]. */
    private static double[] expected(int count, int m, int n, int k, float[] a, int[] aOffs, float[] b, int[] bOffs,
                                     float[] c0, int cStride, boolean accumulate) {
        double[] c = new double[c0.length];
        for (int i = 0; i < c0.length; i++) {
            c[i] = c0[i];
        }
        for (int e = 0; e < count; e++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = accumulate ? c0[e * cStride + i * n + j] : 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) a[aOffs[e] + i * k + p] * b[bOffs[e] + j * k + p];
                    }
                    c[e * cStride + i * n + j] = s;
                }
            }
        }
        return c;
    }

    private static void check(double[] expected, float[] got, int k, String what) {
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) {
            // Operands lie in [-1, 1]: a k-term float sum is within k·u·k of the exact value.
            double bound = k * (double) k * Math.ulp(1f) / 2 + 1e-6;
            assertTrue(Math.abs(got[i] - expected[i]) <= bound,
                    what + " [" + i + "]: expected " + expected[i] + " but got " + got[i]);
        }
    }

    @Test
    void smallAndLargeBatchesMatchOneByOneOnOneAndTwoThreads() {
        SplittableRandom r = new SplittableRandom(11);
        // {count, m, n, k}: many small products (spread over the pool, one per task) and a few large ones (each
        // split over the pool); the B operand is broadcast (every offset equal) in half the runs.
        int[][] shapes = {{7, 5, 9, 13}, {40, 16, 16, 16}, {3, 70, 130, 90}, {1, 64, 64, 64}, {0, 4, 4, 4}};
        for (int t : new int[] {1, 2}) {
            Parallel.setThreads(t);
            for (int[] sh : shapes) {
                for (boolean broadcastB : new boolean[] {false, true}) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        int count = sh[0], m = sh[1], n = sh[2], k = sh[3], cStride = m * n + 3;
                        float[] a = random(r, 2 + count * m * k), b = random(r, 1 + Math.max(1, count) * n * k);
                        int[] aOffs = new int[count], bOffs = new int[count];
                        for (int e = 0; e < count; e++) {
                            aOffs[e] = 2 + e * m * k;
                            bOffs[e] = broadcastB ? 1 : 1 + e * n * k;
                        }
                        float[] c = random(r, Math.max(1, count) * cStride);
                        double[] want = expected(count, m, n, k, a, aOffs, b, bOffs, c, cStride, accumulate);
                        Gemm.gemmBatched(count, m, n, k, a, aOffs, k, 1, b, bOffs, 1, k, c, 0, cStride, n, accumulate);
                        check(want, c, k, t + " threads " + java.util.Arrays.toString(sh) + " broadcast " + broadcastB
                                + " accumulate " + accumulate);
                    }
                }
            }
        }
    }

    @Test
    void stridedBatchEqualsTheOffsetForm() {
        SplittableRandom r = new SplittableRandom(12);
        int count = 6, m = 9, n = 11, k = 20;
        float[] a = random(r, 5 + count * m * k), b = random(r, n * k);
        float[] c1 = new float[count * m * n], c2 = new float[count * m * n];
        // B broadcast by a zero stride.
        Gemm.gemmStridedBatched(count, m, n, k, a, 5, m * k, k, 1, b, 0, 0, 1, k, c1, 0, m * n, n, false);
        int[] aOffs = new int[count], bOffs = new int[count];
        for (int e = 0; e < count; e++) {
            aOffs[e] = 5 + e * m * k;
        }
        double[] want = expected(count, m, n, k, a, aOffs, b, bOffs, c2, m * n, false);
        check(want, c1, k, "strided");
    }

    @Test
    void rejectsMissingOffsets() {
        float[] x = new float[16];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemmBatched(3, 2, 2, 2, x, new int[3], 2, 1, x, new int[2], 2, 1, x, 0, 4, 2, false));
        assertTrue(e.getMessage().contains("gemmBatched") && e.getMessage().contains("3 products"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemmStridedBatched(-1, 2, 2, 2, x, 0, 4, 2, 1, x, 0, 4, 2, 1, x, 0, 4, 2, false));
        assertTrue(e.getMessage().contains("gemmStridedBatched") && e.getMessage().contains("-1"), e.getMessage());
    }
}
