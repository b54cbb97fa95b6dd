package dev.frelon.core.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The plain-Java elementwise kernels against their scalar definitions, and the Vector API kernels against the
 * plain ones, over lengths 0..100 (the vector loops start at 64, below which both run the plain loops), strides 0, 1 and 2, offsets, and special values.
 */
class ElementwiseKernelOracleTest {

    private static final int SENTINEL_BITS = 0x7fa5a5a5; // a NaN payload no kernel produces
    private static final int[] STRIDES = {0, 1, 2};

    private static ElementwiseKernels vector() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        return Kernels.vectorImplementation(ElementwiseKernels.class);
    }

    /** Random values, with special ones mixed in when {@code special} is set. */
    private static float[] values(SplittableRandom r, int n, boolean special) {
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f, 100f, -100f,
                Float.MIN_VALUE, 3f};
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = special && r.nextInt(4) == 0 ? specials[r.nextInt(specials.length)] : (float) (r.nextGaussian() * 3);
        }
        return a;
    }

    private static float[] output(int size) {
        float[] out = new float[size];
        java.util.Arrays.fill(out, Float.intBitsToFloat(SENTINEL_BITS));
        return out;
    }

    /** Same bits, or both NaN; {@code ulps > 0} also accepts values that many ulps apart (and 0 vs -0). */
    private static boolean same(float expected, float got, int ulps) {
        if (Float.isNaN(expected) || Float.isNaN(got)) {
            return Float.isNaN(expected) && Float.isNaN(got);
        }
        if (Float.floatToIntBits(expected) == Float.floatToIntBits(got)) {
            return true;
        }
        if (ulps == 0) {
            return false;
        }
        if (Float.isInfinite(expected) || Float.isInfinite(got)) {
            return false;
        }
        return Math.abs(expected - got) <= ulps * Math.max(Math.ulp(expected), Math.ulp(got)) || Math.abs(expected - got) < 1e-37f;
    }

    private static void checkOutput(String what, float[] expected, float[] got, int outOff, int n, int ulps) {
        for (int i = 0; i < got.length; i++) {
            boolean inside = i >= outOff && i < outOff + n;
            if (!inside) {
                if (Float.floatToRawIntBits(got[i]) != SENTINEL_BITS) {
                    fail(what + ": wrote outside its strip at " + i);
                }
            } else if (!same(expected[i], got[i], ulps)) {
                fail(what + " at " + (i - outOff) + ": expected " + expected[i] + " but got " + got[i]);
            }
        }
    }

    /** Unary ops whose SIMD version is an approximation of the library function. */
    private static int ulps(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, TANH, SIGMOID -> 2;
            case SIGN -> 1; // accepts 0 for -0
            default -> 0;
        };
    }

    // ---------------------------------------------------------------------------------- scalar vs definition

    @Test
    void scalarKernelsMatchTheDefinitions() {
        ElementwiseKernels s = new ScalarElementwise();
        SplittableRandom r = new SplittableRandom(1);
        for (int n = 0; n <= 100; n += 3) {
            for (int as : STRIDES) {
                for (int bs : STRIDES) {
                    float[] a = values(r, 3 + n * Math.max(as, 1), true), b = values(r, 2 + n * Math.max(bs, 1), true);
                    for (BinaryOp op : BinaryOp.values()) {
                        float[] out = output(n + 5);
                        s.binary(op, a, 3, as, b, 2, bs, out, 4, n);
                        float[] exp = output(n + 5);
                        for (int i = 0; i < n; i++) {
                            exp[4 + i] = op.apply(a[3 + i * as], b[2 + i * bs]);
                        }
                        checkOutput("scalar " + op, exp, out, 4, n, 0);
                    }
                }
                float[] a = values(r, 3 + n * Math.max(as, 1), true);
                for (UnaryOp op : UnaryOp.values()) {
                    float[] out = output(n + 5);
                    s.unary(op, a, 3, as, out, 1, n);
                    float[] exp = output(n + 5);
                    for (int i = 0; i < n; i++) {
                        exp[1 + i] = op.apply(a[3 + i * as]);
                    }
                    checkOutput("scalar " + op, exp, out, 1, n, 0);
                }
            }
        }
    }

    @Test
    void unaryDefinitionsFollowTheirDocumentation() {
        assertEquals(0.5f, UnaryOp.SIGMOID.apply(0f));
        assertEquals(1f, UnaryOp.SIGMOID.apply(100f));
        assertEquals(0f, UnaryOp.SIGMOID.apply(-1000f));
        assertEquals(1f, UnaryOp.SIGMOID.apply(Float.POSITIVE_INFINITY));
        assertEquals(Float.NEGATIVE_INFINITY, UnaryOp.LOG.apply(0f));
        assertEquals(Float.NaN, UnaryOp.SQRT.apply(-1f));
        assertEquals(Float.NaN, UnaryOp.SIGN.apply(Float.NaN));
        assertEquals(-1f, UnaryOp.SIGN.apply(-5f));
        // relu is max(x, 0): NaN propagates, as Math.max (and PyTorch) do.
        assertEquals(Float.NaN, UnaryOp.RELU.apply(Float.NaN));
        assertEquals(0f, UnaryOp.RELU.apply(-2f));
        assertEquals(3f, UnaryOp.RELU.apply(3f));
        assertEquals(Float.NaN, BinaryOp.MAX.apply(Float.NaN, 1f));
        assertEquals(Float.NaN, BinaryOp.MIN.apply(1f, Float.NaN));
        assertEquals(1f, BinaryOp.NE.apply(Float.NaN, Float.NaN));
        assertEquals(0f, BinaryOp.EQ.apply(Float.NaN, Float.NaN));
        assertEquals(8f, BinaryOp.POW.apply(2f, 3f));
        // The ReLU gradient: passed where the output is positive or NaN, zero where it is 0 or -0 (even a NaN
        // gradient, as PyTorch's threshold backward).
        assertEquals(2f, BinaryOp.RELU_BACKWARD.apply(2f, 0.5f));
        assertEquals(0f, BinaryOp.RELU_BACKWARD.apply(2f, 0f));
        assertEquals(0f, BinaryOp.RELU_BACKWARD.apply(2f, -0f));
        assertEquals(2f, BinaryOp.RELU_BACKWARD.apply(2f, Float.NaN));
        assertEquals(0f, BinaryOp.RELU_BACKWARD.apply(Float.NaN, -1f));
    }

    // ---------------------------------------------------------------------------------- vector vs scalar

    @Test
    void vectorBinaryMatchesScalar() {
        ElementwiseKernels v = vector(), s = new ScalarElementwise();
        SplittableRandom r = new SplittableRandom(2);
        for (boolean special : new boolean[] {false, true}) {
            for (int n = 0; n <= 100; n++) {
                for (int as : STRIDES) {
                    for (int bs : STRIDES) {
                        int aOff = r.nextInt(4), bOff = r.nextInt(4), outOff = r.nextInt(4);
                        float[] a = values(r, aOff + n * Math.max(as, 1) + 1, special);
                        float[] b = values(r, bOff + n * Math.max(bs, 1) + 1, special);
                        for (BinaryOp op : BinaryOp.values()) {
                            float[] exp = output(outOff + n + 3), got = output(outOff + n + 3);
                            s.binary(op, a, aOff, as, b, bOff, bs, exp, outOff, n);
                            v.binary(op, a, aOff, as, b, bOff, bs, got, outOff, n);
                            checkOutput(op + " n=" + n + " strides " + as + "," + bs + (special ? " special" : ""),
                                    exp, got, outOff, n, 0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void vectorUnaryMatchesScalar() {
        ElementwiseKernels v = vector(), s = new ScalarElementwise();
        SplittableRandom r = new SplittableRandom(3);
        for (boolean special : new boolean[] {false, true}) {
            for (int n = 0; n <= 100; n++) {
                for (int as : STRIDES) {
                    int aOff = r.nextInt(4), outOff = r.nextInt(4);
                    float[] a = values(r, aOff + n * Math.max(as, 1) + 1, special);
                    for (UnaryOp op : UnaryOp.values()) {
                        float[] exp = output(outOff + n + 3), got = output(outOff + n + 3);
                        s.unary(op, a, aOff, as, exp, outOff, n);
                        v.unary(op, a, aOff, as, got, outOff, n);
                        checkOutput(op + " n=" + n + " stride " + as + (special ? " special" : ""), exp, got, outOff, n, ulps(op));
                    }
                }
            }
        }
    }

    @Test
    void vectorTranscendentalsOnWideRanges() {
        ElementwiseKernels v = vector(), s = new ScalarElementwise();
        SplittableRandom r = new SplittableRandom(4);
        int n = 4096;
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * 120);
        }
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID}) {
            float[] exp = output(n), got = output(n);
            s.unary(op, a, 0, 1, exp, 0, n);
            v.unary(op, a, 0, 1, got, 0, n);
            checkOutput(op + " on [-120, 120]", exp, got, 0, n, 2);
        }
        float[] pos = new float[n];
        for (int i = 0; i < n; i++) {
            pos[i] = (float) Math.exp((r.nextDouble() * 2 - 1) * 80);
        }
        float[] exp = output(n), got = output(n);
        s.unary(UnaryOp.LOG, pos, 0, 1, exp, 0, n);
        v.unary(UnaryOp.LOG, pos, 0, 1, got, 0, n);
        checkOutput("LOG on [e^-80, e^80]", exp, got, 0, n, 2);
    }

    /**
     * Every 1021st float bit pattern (4.2 million values: every exponent, both signs, subnormals, infinities and
     * NaNs): the vector transcendentals stay within 2 ulp of Math's results rounded to float.
     */
    @Test
    void vectorTranscendentalsAcrossTheWholeFloatRange() {
        ElementwiseKernels v = vector(), s = new ScalarElementwise();
        int stride = 1021, n = (int) ((1L << 32) / stride);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = Float.intBitsToFloat((int) ((long) i * stride));
        }
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID}) {
            float[] exp = new float[n], got = new float[n];
            s.unary(op, a, 0, 1, exp, 0, n);
            v.unary(op, a, 0, 1, got, 0, n);
            checkOutput(op + " over the float range", exp, got, 0, n, 2);
        }
    }

    /** axpy and affine use a fused multiply-add on the SIMD path: equal up to the one rounding it saves. */
    private static void checkFused(String what, float[] exp, float[] got, float[] magnitude, int off, int n) {
        for (int i = 0; i < got.length; i++) {
            if (i < off || i >= off + n) {
                assertEquals(Float.floatToRawIntBits(exp[i]), Float.floatToRawIntBits(got[i]), what + ": outside the strip at " + i);
            } else if (!(Math.abs(exp[i] - got[i]) <= 2 * Math.ulp(magnitude[i]) || same(exp[i], got[i], 0))) {
                fail(what + " at " + (i - off) + ": expected " + exp[i] + " but got " + got[i]);
            }
        }
    }

    @Test
    void vectorAxpyAndAffineMatchScalar() {
        ElementwiseKernels v = vector(), s = new ScalarElementwise();
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 0; n <= 100; n++) {
            int xOff = r.nextInt(4), yOff = r.nextInt(4);
            float alpha = (float) r.nextGaussian();
            float[] x = values(r, xOff + n + 2, false), y0 = values(r, yOff + n + 2, false);
            float[] exp = y0.clone(), got = y0.clone(), mag = new float[y0.length];
            for (int i = 0; i < n; i++) {
                mag[yOff + i] = Math.abs(y0[yOff + i]) + Math.abs(alpha * x[xOff + i]);
            }
            s.axpy(alpha, x, xOff, exp, yOff, n);
            v.axpy(alpha, x, xOff, got, yOff, n);
            checkFused("axpy n=" + n, exp, got, mag, yOff, n);
            for (int as : STRIDES) {
                int aOff = r.nextInt(4), outOff = r.nextInt(4);
                float scale = (float) r.nextGaussian(), shift = (float) r.nextGaussian();
                float[] a = values(r, aOff + n * Math.max(as, 1) + 1, false);
                float[] e = output(outOff + n + 2), g = output(outOff + n + 2), m = new float[outOff + n + 2];
                for (int i = 0; i < n; i++) {
                    m[outOff + i] = Math.abs(a[aOff + i * as] * scale) + Math.abs(shift);
                }
                s.affine(a, aOff, as, scale, shift, e, outOff, n);
                v.affine(a, aOff, as, scale, shift, g, outOff, n);
                checkFused("affine n=" + n + " stride " + as, e, g, m, outOff, n);
            }
        }
    }

    @Test
    void inPlaceUpdatesWhereOutputAliasesInput() {
        ElementwiseKernels v = vector(), s = new ScalarElementwise();
        SplittableRandom r = new SplittableRandom(6);
        for (int n = 0; n <= 100; n++) {
            float[] a = values(r, n + 3, false), b = values(r, n + 3, false);
            for (BinaryOp op : BinaryOp.values()) {
                float[] exp = a.clone(), got = a.clone();
                s.binary(op, exp, 2, 1, b, 1, 1, exp, 2, n);
                v.binary(op, got, 2, 1, b, 1, 1, got, 2, n);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(i >= 2 && i < 2 + n ? op.apply(a[i], b[i - 1]) : a[i], exp[i], "scalar in place " + op);
                    assertEquals(exp[i], got[i], "vector in place " + op + " n=" + n + " at " + i);
                }
            }
            for (UnaryOp op : new UnaryOp[] {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQUARE, UnaryOp.RELU, UnaryOp.RECIPROCAL}) {
                float[] exp = a.clone(), got = a.clone();
                s.unary(op, exp, 1, 1, exp, 1, n);
                v.unary(op, got, 1, 1, got, 1, n);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(exp[i], got[i], "vector in place " + op + " n=" + n + " at " + i);
                }
            }
        }
    }

    @Test
    void emptyStripsTouchNothing() {
        // n = 0 must not read any operand, even at an offset past the end of an empty array.
        for (ElementwiseKernels k : new ElementwiseKernels[] {new ScalarElementwise(),
                Kernels.vectorModulePresent() ? Kernels.vectorImplementation(ElementwiseKernels.class) : new ScalarElementwise()}) {
            float[] empty = new float[0];
            for (BinaryOp op : BinaryOp.values()) {
                for (int as : STRIDES) {
                    for (int bs : STRIDES) {
                        k.binary(op, empty, 0, as, empty, 0, bs, empty, 0, 0);
                    }
                }
            }
            for (UnaryOp op : UnaryOp.values()) {
                for (int as : STRIDES) {
                    k.unary(op, empty, 0, as, empty, 0, 0);
                }
            }
            k.axpy(2f, empty, 0, empty, 0, 0);
            k.affine(empty, 0, 1, 2f, 1f, empty, 0, 0);
            k.affine(empty, 0, 0, 2f, 1f, empty, 0, 0);
        }
    }

    @Test
    void providerPathMatchesScalar() {
        ElementwiseKernels p = ElementwiseKernels.CHOSEN, s = new ScalarElementwise();
        SplittableRandom r = new SplittableRandom(7);
        float[] a = values(r, 100, false), b = values(r, 100, false);
        for (BinaryOp op : BinaryOp.values()) {
            float[] exp = output(100), got = output(100);
            s.binary(op, a, 0, 1, b, 0, 1, exp, 0, 100);
            p.binary(op, a, 0, 1, b, 0, 1, got, 0, 100);
            checkOutput("provider " + op, exp, got, 0, 100, 0);
        }
    }
}
