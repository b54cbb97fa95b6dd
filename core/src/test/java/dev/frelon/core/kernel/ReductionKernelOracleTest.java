package dev.frelon.core.kernel;

import dev.frelon.core.Reduction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Reduction kernels: the plain ones against double-precision sums, the Vector API ones against the plain ones. */
class ReductionKernelOracleTest {

    private static final float U = Math.ulp(1f) / 2; // unit roundoff of float

    private static ReductionKernels vector() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        return Kernels.vectorImplementation(ReductionKernels.class);
    }

    private static float[] values(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 2 + 0.5);
        }
        return a;
    }

    /** Two float summations of n terms each differ from the exact sum by at most about n·u·sum|terms|. */
    private static void assertSum(String what, double exact, double absSum, float got, int n) {
        double bound = 2 * (n + 2) * U * absSum + 1e-30;
        if (!(Math.abs(got - exact) <= bound)) {
            fail(what + ": expected " + exact + " but got " + got + " (bound " + bound + ")");
        }
    }

    private static final int[] LENGTHS;

    static {
        int[] extra = {100, 127, 128, 129, 1000, 4099};
        LENGTHS = new int[71 + extra.length];
        for (int i = 0; i <= 70; i++) {
            LENGTHS[i] = i;
        }
        System.arraycopy(extra, 0, LENGTHS, 71, extra.length);
    }

    private static void checkAgainstExact(ReductionKernels k, String name) {
        SplittableRandom r = new SplittableRandom(11);
        for (int n : LENGTHS) {
            int off = r.nextInt(5), bOff = r.nextInt(5);
            float[] a = values(r, off + n + 3), b = values(r, bOff + n + 3);
            double sum = 0, abs = 0, dot = 0, dotAbs = 0;
            float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float x = a[off + i];
                sum += x;
                abs += Math.abs(x);
                dot += x * (double) b[bOff + i];
                dotAbs += Math.abs(x * (double) b[bOff + i]);
                max = Math.max(max, x);
                min = Math.min(min, x);
            }
            String what = name + " n=" + n;
            assertSum(what + " sum", sum, abs, k.sum(a, off, n), n);
            assertSum(what + " dot", dot, dotAbs, k.dot(a, off, b, bOff, n), n);
            if (n > 0) {
                assertEquals(max, k.max(a, off, n), what + " max");
                assertEquals(min, k.min(a, off, n), what + " min");
                float mean = (float) (sum / n);
                double ssd = 0, ssdAbs = 0;
                for (int i = 0; i < n; i++) {
                    double d = a[off + i] - mean;
                    ssd += d * d;
                }
                ssdAbs = ssd;
                assertSum(what + " sumSquaredDeviation", ssd, ssdAbs + abs * Math.abs(mean) * 4 * U * n, k.sumSquaredDeviation(a, off, n, mean), n);
            } else {
                assertEquals(0f, k.sum(a, off, 0));
                assertEquals(0f, k.dot(a, off, b, bOff, 0));
                assertEquals(0f, k.sumSquaredDeviation(a, off, 0, 1f));
            }
        }
    }

    @Test
    void scalarReductionsMatchDoublePrecision() {
        checkAgainstExact(new ScalarReduction(), "scalar");
    }

    @Test
    void vectorReductionsMatchDoublePrecision() {
        checkAgainstExact(vector(), "vector");
    }

    @Test
    void vectorReductionsMatchScalar() {
        ReductionKernels v = vector(), s = new ScalarReduction();
        SplittableRandom r = new SplittableRandom(12);
        for (int n : LENGTHS) {
            int off = r.nextInt(5);
            float[] a = values(r, off + n + 1), b = values(r, off + n + 1);
            double abs = 0, dotAbs = 0;
            for (int i = 0; i < n; i++) {
                abs += Math.abs(a[off + i]);
                dotAbs += Math.abs(a[off + i] * (double) b[off + i]);
            }
            String what = "n=" + n;
            assertSum(what + " sum", s.sum(a, off, n), abs, v.sum(a, off, n), n);
            assertSum(what + " dot", s.dot(a, off, b, off, n), dotAbs, v.dot(a, off, b, off, n), n);
            if (n > 0) {
                assertEquals(s.max(a, off, n), v.max(a, off, n), what + " max");
                assertEquals(s.min(a, off, n), v.min(a, off, n), what + " min");
            }
        }
    }

    @Test
    void maxAndMinPropagateNaNAndSeeEveryLane() {
        for (ReductionKernels k : kernels()) {
            for (int n : new int[] {1, 5, 16, 17, 33, 64, 70, 1000}) {
                for (int pos = 0; pos < n; pos += Math.max(1, n / 7)) {
                    float[] a = new float[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = i % 3 - 1;
                    }
                    a[pos] = 50f;
                    assertEquals(50f, k.max(a, 0, n), k + " max at " + pos + " of " + n);
                    a[pos] = -50f;
                    assertEquals(-50f, k.min(a, 0, n), k + " min at " + pos + " of " + n);
                    a[pos] = Float.NaN;
                    assertEquals(Float.NaN, k.max(a, 0, n), k + " max NaN at " + pos + " of " + n);
                    assertEquals(Float.NaN, k.min(a, 0, n), k + " min NaN at " + pos + " of " + n);
                    assertEquals(Float.NaN, k.sum(a, 0, n), k + " sum NaN");
                }
            }
            float[] negatives = new float[40];
            java.util.Arrays.fill(negatives, -3f);
            negatives[37] = -2f;
            assertEquals(-2f, k.max(negatives, 0, 40), k + " all negative");
            assertEquals(-3f, k.min(negatives, 0, 40));
            float[] inf = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
            assertEquals(Float.NEGATIVE_INFINITY, k.max(inf, 0, 2));
        }
    }

    private static ReductionKernels[] kernels() {
        return Kernels.vectorModulePresent()
                ? new ReductionKernels[] {new ScalarReduction(), Kernels.vectorImplementation(ReductionKernels.class)}
                : new ReductionKernels[] {new ScalarReduction()};
    }

    @Test
    void unknownKernelTypesAreRejected() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Kernels.vectorImplementation(Runnable.class));
        assertTrue(e.getMessage().contains("no Vector API implementation of java.lang.Runnable"), e.getMessage());
    }
}
