package dev.frelon.core.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Softmax kernels: {@code exp} of both implementations against {@link StrictMath#exp} in double over a dense
 * sweep of floats (underflow and overflow included), {@code max} against a naive loop, and the Vector API
 * implementation against the plain one on every tail length.
 */
class SoftmaxKernelOracleTest {

    /** The Vector API kernels, where this instruction set runs them (not without FMA: see SoftmaxKernels.CHOSEN). */
    private static SoftmaxKernels vector() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        Assumptions.assumeFalse(SoftmaxKernels.CHOSEN instanceof ScalarSoftmax, "plain kernels on " + Isa.current());
        return Kernels.vectorImplementation(SoftmaxKernels.class);
    }

    private static SoftmaxKernels[] kernels() {
        return !(SoftmaxKernels.CHOSEN instanceof ScalarSoftmax)
                ? new SoftmaxKernels[] {new ScalarSoftmax(), Kernels.vectorImplementation(SoftmaxKernels.class)}
                : new SoftmaxKernels[] {new ScalarSoftmax()};
    }

    /**
     * Error in units of the last place of the correctly rounded float result; below the normal range the unit
     * is the smallest subnormal, 2^-149, even where the result rounds to 0. Overflow must match exactly.
     */
    private static double ulpError(float got, double exact) {
        float rounded = (float) exact;
        if (Float.isInfinite(rounded) || Float.isInfinite(got)) {
            return got == rounded ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - exact) / Math.ulp(rounded);
    }

    /**
     * Every 61st float from -110 to 95 (about 34 million: the whole range where e^x is neither exactly 0 nor
     * infinite as a float, plus margins): within 1 ulp.
     */
    private static void sweep(SoftmaxKernels k, String name) {
        int chunk = 1 << 16;
        float[] x = new float[chunk], y = new float[chunk];
        double worst = 0;
        float worstAt = 0;
        long count = 0;
        // Negative floats: bit patterns from -110 down to -0 (magnitude decreasing); then 0 up to 95.
        int[][] ranges = {{Float.floatToRawIntBits(-110f), Float.floatToRawIntBits(-0f), -61},
                {Float.floatToRawIntBits(0f), Float.floatToRawIntBits(95f), 61}};
        for (int[] r : ranges) {
            long bits = r[0];
            while (r[2] < 0 ? bits >= r[1] : bits <= r[1]) {
                int m = 0;
                for (; m < chunk && (r[2] < 0 ? bits >= r[1] : bits <= r[1]); m++, bits += r[2]) {
                    x[m] = Float.intBitsToFloat((int) bits);
                }
                k.exp(x, 0, y, 0, m);
                for (int i = 0; i < m; i++) {
                    double err = ulpError(y[i], StrictMath.exp(x[i]));
                    if (err > worst) {
                        worst = err;
                        worstAt = x[i];
                    }
                }
                count += m;
            }
        }
        if (!(worst <= 1.0)) {
            fail(name + " exp: " + worst + " ulp at x = " + worstAt + " (exp " + StrictMath.exp(worstAt) + ")");
        }
        assertEquals(true, count > 30_000_000L, "sweep size " + count);
    }

    @Test
    void scalarExpIsWithinOneUlpEverywhere() {
        sweep(new ScalarSoftmax(), "scalar");
    }

    @Test
    void vectorExpIsWithinOneUlpEverywhere() {
        sweep(vector(), "vector");
    }

    @Test
    void expLimitsAndSpecialValues() {
        float[] x = {Float.NEGATIVE_INFINITY, -1000f, -104f, -103.97f, -103.9f, -87.34f, -87.33f, -0f, 0f,
                Float.MIN_VALUE, 1e-30f, 1f, 88.72f, 88.7228f, 88.73f, 89f, 1000f, Float.POSITIVE_INFINITY, Float.NaN};
        for (SoftmaxKernels k : kernels()) {
            // Every position of a vector and the tail: repeat the list with a shift.
            for (int shift = 0; shift < 17; shift++) {
                float[] a = new float[x.length + shift], out = new float[a.length];
                System.arraycopy(x, 0, a, shift, x.length);
                k.exp(a, shift, out, shift, x.length);
                for (int i = 0; i < x.length; i++) {
                    float expected = (float) StrictMath.exp(x[i]);
                    String what = k.getClass().getSimpleName() + " exp(" + x[i] + ")";
                    if (Float.isNaN(expected) || expected == 0f || Float.isInfinite(expected) || expected == 1f) {
                        assertEquals(expected, out[shift + i], what);
                    } else if (!(ulpError(out[shift + i], StrictMath.exp(x[i])) <= 1)) {
                        fail(what + " = " + out[shift + i] + ", expected " + expected);
                    }
                }
            }
            assertEquals(1.4e-45f, first(k, -103.9f), "the smallest subnormal");
            assertEquals(0f, first(k, -104f));
            assertEquals(Float.POSITIVE_INFINITY, first(k, 88.73f));
            assertEquals(3.3931806e38f, first(k, 88.72f));
        }
    }

    private static float first(SoftmaxKernels k, float v) {
        float[] out = new float[1];
        k.exp(new float[] {v}, 0, out, 0, 1);
        return out[0];
    }

    private static final int[] LENGTHS = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 66, 100, 127, 129, 1000, 1001};

    @Test
    void expShiftSumMatchesTheReferenceAtEveryLengthAndOffset() {
        SplittableRandom r = new SplittableRandom(5);
        for (SoftmaxKernels k : kernels()) {
            for (int n : LENGTHS) {
                int off = r.nextInt(5), outOff = r.nextInt(5);
                float[] a = new float[off + n + 3];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (r.nextGaussian() * 30); // a wide spread: some results underflow to subnormals
                }
                float shift = n == 0 ? 0f : new ScalarSoftmax().max(a, off, n);
                float[] out = new float[outOff + n + 3];
                Arrays.fill(out, 42f);
                float sum = k.expShiftSum(a, off, n, shift, out, outOff);
                double exactSum = 0;
                String what = k.getClass().getSimpleName() + " n=" + n;
                for (int i = 0; i < n; i++) {
                    double e = StrictMath.exp(a[off + i] - shift); // float subtraction, as the kernel does
                    exactSum += e;
                    if (!(ulpError(out[outOff + i], e) <= 1)) {
                        fail(what + " value " + i + ": " + out[outOff + i] + ", expected " + e);
                    }
                }
                // Partial sums of at most n positive terms, each within 1 ulp.
                assertEquals(exactSum, sum, (n + 2) * Math.ulp(1f) * exactSum + 1e-38, what + " sum");
                for (int i = 0; i < outOff; i++) {
                    assertEquals(42f, out[i], what + " wrote before its output");
                }
                for (int i = outOff + n; i < out.length; i++) {
                    assertEquals(42f, out[i], what + " wrote past its output");
                }
            }
        }
    }

    @Test
    void expShiftSumMayWriteOverItsInput() {
        for (SoftmaxKernels k : kernels()) {
            for (int n : new int[] {1, 7, 16, 40, 131}) {
                SplittableRandom r = new SplittableRandom(n);
                float[] a = new float[n + 2];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextGaussian();
                }
                float[] expected = new float[n];
                new ScalarSoftmax().expShiftSum(a, 1, n, 2f, expected, 0);
                k.expShiftSum(a, 1, n, 2f, a, 1);
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i], a[1 + i], Math.ulp(expected[i]), k.getClass().getSimpleName() + " in place " + i);
                }
            }
        }
    }

    @Test
    void vectorMatchesScalarWithinAnUlp() {
        SoftmaxKernels v = vector(), s = new ScalarSoftmax();
        SplittableRandom r = new SplittableRandom(6);
        for (int n : LENGTHS) {
            float[] a = new float[n + 1];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (r.nextGaussian() * 5);
            }
            float[] ev = new float[n], es = new float[n];
            float sv = v.expShiftSum(a, 1, n, 1.5f, ev, 0), ss = s.expShiftSum(a, 1, n, 1.5f, es, 0);
            assertEquals(ss, sv, (n + 2) * Math.ulp(1f) * ss, "sum n=" + n);
            for (int i = 0; i < n; i++) {
                // Each within 1 ulp of the exact value, so within 2 ulp of each other.
                assertEquals(es[i], ev[i], 2 * Math.ulp(es[i]), "n=" + n + " value " + i);
            }
            if (n > 0) {
                assertEquals(s.max(a, 1, n), v.max(a, 1, n), "max n=" + n);
            }
        }
    }

    @Test
    void maxSeesEveryLaneAndSkipsNaN() {
        for (SoftmaxKernels k : kernels()) {
            String name = k.getClass().getSimpleName();
            for (int n : new int[] {1, 5, 16, 17, 33, 63, 64, 65, 70, 130, 1000}) {
                for (int pos = 0; pos < n; pos += Math.max(1, n / 9)) {
                    float[] a = new float[n + 2];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = i % 3 - 1;
                    }
                    a[0] = 99f; // outside the strip: must not be seen
                    a[n + 1] = 99f;
                    a[1 + pos] = 50f;
                    assertEquals(50f, k.max(a, 1, n), name + " max at " + pos + " of " + n);
                    a[1 + pos] = Float.NaN;
                    assertEquals(n == 1 ? Float.NEGATIVE_INFINITY : 1f, k.max(a, 1, n), name + " NaN at " + pos + " of " + n);
                }
                float[] negatives = new float[n];
                Arrays.fill(negatives, -3f);
                negatives[n - 1] = -2f;
                assertEquals(-2f, k.max(negatives, 0, n), name + " all negative, n=" + n);
                float[] nan = new float[n];
                Arrays.fill(nan, Float.NaN);
                assertEquals(Float.NEGATIVE_INFINITY, k.max(nan, 0, n), name + " all NaN, n=" + n);
                float[] inf = new float[n];
                Arrays.fill(inf, Float.NEGATIVE_INFINITY);
                assertEquals(Float.NEGATIVE_INFINITY, k.max(inf, 0, n), name + " all -inf");
                inf[n / 2] = Float.POSITIVE_INFINITY;
                assertEquals(Float.POSITIVE_INFINITY, k.max(inf, 0, n), name + " +inf");
            }
            assertEquals(Float.NEGATIVE_INFINITY, k.max(new float[3], 1, 0), name + " empty");
        }
    }
}
