package dev.frelon.core.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The float64 kernels: {@link ScalarFloat64} and the Vector API twin against hand-computed values, against the
 * scalar definitions {@link BinaryOp#apply(double, double)} / {@link UnaryOp#apply(double)} bit for bit, sums and
 * dot products against exact {@link BigDecimal} sums (and the vector one against its documented order), and the
 * matrix product of the two twins bit for bit, plus once against an exact product.
 *
 * <p>The vector loops start at {@link VectorWidth#TINY} values, so the lengths include 0, 1, 7, V−1, V, V+1 (the
 * plain loops inside the vector class) and TINY−1 .. 2·TINY+V+1, 100 and 257 (vector bodies with every tail).
 */
class Float64KernelOracleTest {

    /** A NaN payload no kernel writes: marks the cells a kernel must leave alone. */
    private static final long SENTINEL_BITS = 0x7ff5a5a5a5a5a5a5L;
    private static final double SENTINEL = Double.longBitsToDouble(SENTINEL_BITS);
    private static final int[] STRIDES = {0, 1, 3};
    private static final double[] SPECIALS = {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 1.0, -1.0, 0.5, -2.5, 3.0, 1e300, -1e-300, Double.MIN_VALUE, Double.MAX_VALUE,
            -Double.MIN_NORMAL};

    private static Float64Kernels vector() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        return Kernels.vectorImplementation(Float64Kernels.class);
    }

    /** Both twins, the vector one when the module is present. */
    private static List<Float64Kernels> twins() {
        List<Float64Kernels> all = new ArrayList<>(List.of(new ScalarFloat64()));
        if (Kernels.vectorModulePresent()) {
            all.add(Kernels.vectorImplementation(Float64Kernels.class));
        }
        return all;
    }

    /**
     * Doubles per vector of the vector twin; without the module (only the plain twin runs) 4, for lengths around a
     * typical width. VectorFloat64 is touched only when the module is present: it cannot load without it.
     */
    private static int lanes() {
        return Kernels.vectorModulePresent() ? VectorFloat64.V : 4;
    }

    private static int[] lengths() {
        int v = lanes(), t = VectorWidth.TINY;
        return new int[] {0, 1, 7, v - 1, v, v + 1, t - 1, t, t + 1, t + v - 1, t + v + 1, 100, 2 * t + v + 1, 257};
    }

    /** Same bits, any NaN equal to any NaN (Java fixes no NaN payload); 0.0 and -0.0 differ. */
    private static boolean same(double expected, double got) {
        return Double.doubleToLongBits(expected) == Double.doubleToLongBits(got);
    }

    private static void assertSame(double expected, double got, String what) {
        if (!same(expected, got)) {
            fail(what + ": expected " + expected + " but got " + got);
        }
    }

    private static double[] values(SplittableRandom r, int n, boolean special) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = special && r.nextInt(3) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : r.nextGaussian() * 3;
        }
        return a;
    }

    private static double[] output(int size) {
        double[] out = new double[size];
        Arrays.fill(out, SENTINEL);
        return out;
    }

    /** The strip holds the expected values; every cell outside it still holds the sentinel. */
    private static void checkStrip(String what, double[] out, int outOff, int n, java.util.function.IntToDoubleFunction expected) {
        for (int i = 0; i < out.length; i++) {
            if (i >= outOff && i < outOff + n) {
                assertSame(expected.applyAsDouble(i - outOff), out[i], what + " at " + (i - outOff));
            } else if (Double.doubleToRawLongBits(out[i]) != SENTINEL_BITS) {
                fail(what + ": wrote outside its strip at " + i);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ elementwise

    /** Fills a strip with one pair of values and checks every result, through the vector body and its tail. */
    private static void binaryCase(BinaryOp op, double x, double y, double expected) {
        for (Float64Kernels k : twins()) {
            for (int n : new int[] {1, 7, 100, 131}) {
                double[] a = new double[n], b = new double[n];
                Arrays.fill(a, x);
                Arrays.fill(b, y);
                for (int[] s : new int[][] {{1, 1}, {1, 0}, {0, 1}, {0, 0}}) {
                    double[] out = output(n + 2);
                    k.binary(op, a, 0, s[0], b, 0, s[1], out, 1, n);
                    checkStrip(k.getClass().getSimpleName() + " " + op + "(" + x + ", " + y + ") n=" + n
                            + " strides " + s[0] + "," + s[1], out, 1, n, i -> expected);
                }
            }
        }
    }

    private static void unaryCase(UnaryOp op, double x, double expected) {
        for (Float64Kernels k : twins()) {
            for (int n : new int[] {1, 7, 100, 131}) {
                double[] a = new double[n];
                Arrays.fill(a, x);
                for (int stride : new int[] {1, 0}) {
                    double[] out = output(n + 2);
                    k.unary(op, a, 0, stride, out, 1, n);
                    checkStrip(k.getClass().getSimpleName() + " " + op + "(" + x + ") n=" + n + " stride " + stride,
                            out, 1, n, i -> expected);
                }
            }
        }
    }

    @Test
    void binaryOpsGiveHandComputedValues() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        binaryCase(BinaryOp.ADD, 1.5, 2.25, 3.75);
        binaryCase(BinaryOp.ADD, 0.1, 0.2, 0.30000000000000004);
        binaryCase(BinaryOp.ADD, -0.0, -0.0, -0.0);
        binaryCase(BinaryOp.ADD, 0.0, -0.0, 0.0);
        binaryCase(BinaryOp.ADD, inf, -inf, nan);
        binaryCase(BinaryOp.SUB, 1.0, 1e-17, 1.0);
        binaryCase(BinaryOp.SUB, 0.0, 0.0, 0.0);
        binaryCase(BinaryOp.MUL, 3.0, -0.5, -1.5);
        binaryCase(BinaryOp.MUL, -0.0, 5.0, -0.0);
        binaryCase(BinaryOp.MUL, 0.0, inf, nan);
        binaryCase(BinaryOp.MUL, 1e300, 1e10, inf);
        binaryCase(BinaryOp.DIV, 1.0, 3.0, 0.3333333333333333);
        binaryCase(BinaryOp.DIV, 1.0, -0.0, -inf);
        binaryCase(BinaryOp.DIV, 0.0, 0.0, nan);
        binaryCase(BinaryOp.MAX, -0.0, 0.0, 0.0);
        binaryCase(BinaryOp.MAX, 0.0, -0.0, 0.0);
        binaryCase(BinaryOp.MAX, nan, 1.0, nan);
        binaryCase(BinaryOp.MAX, 1.0, nan, nan);
        binaryCase(BinaryOp.MAX, -inf, -1e308, -1e308);
        binaryCase(BinaryOp.MIN, -0.0, 0.0, -0.0);
        binaryCase(BinaryOp.MIN, 0.0, -0.0, -0.0);
        binaryCase(BinaryOp.MIN, nan, -inf, nan);
        binaryCase(BinaryOp.MIN, 2.0, nan, nan);
        binaryCase(BinaryOp.MIN, 2.0, 3.0, 2.0);
        binaryCase(BinaryOp.POW, 2.0, 10.0, 1024.0);
        binaryCase(BinaryOp.POW, nan, 0.0, 1.0);
        binaryCase(BinaryOp.EQ, nan, nan, 0.0);
        binaryCase(BinaryOp.EQ, 0.0, -0.0, 1.0);
        binaryCase(BinaryOp.NE, nan, nan, 1.0);
        binaryCase(BinaryOp.LT, 1.0, 2.0, 1.0);
        binaryCase(BinaryOp.LE, 2.0, 2.0, 1.0);
        binaryCase(BinaryOp.GT, nan, 0.0, 0.0);
        binaryCase(BinaryOp.GE, -inf, -inf, 1.0);
        binaryCase(BinaryOp.RELU_BACKWARD, 5.0, -1.0, 0.0);
        binaryCase(BinaryOp.RELU_BACKWARD, 5.0, 2.0, 5.0);
        binaryCase(BinaryOp.RELU_BACKWARD, 5.0, nan, 5.0);
    }

    @Test
    void unaryOpsGiveHandComputedValues() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        unaryCase(UnaryOp.NEG, 0.0, -0.0);
        unaryCase(UnaryOp.NEG, -0.0, 0.0);
        unaryCase(UnaryOp.NEG, -inf, inf);
        unaryCase(UnaryOp.NEG, 2.5, -2.5);
        unaryCase(UnaryOp.ABS, -0.0, 0.0);
        unaryCase(UnaryOp.ABS, -inf, inf);
        unaryCase(UnaryOp.ABS, -3.25, 3.25);
        unaryCase(UnaryOp.SQRT, 2.0, 1.4142135623730951);
        unaryCase(UnaryOp.SQRT, -0.0, -0.0);
        unaryCase(UnaryOp.SQRT, -1.0, nan);
        unaryCase(UnaryOp.SQRT, inf, inf);
        unaryCase(UnaryOp.SQUARE, -3.0, 9.0);
        unaryCase(UnaryOp.SQUARE, 1e200, inf);
        unaryCase(UnaryOp.SQUARE, 0.1, 0.010000000000000002);
        unaryCase(UnaryOp.RECIPROCAL, 3.0, 0.3333333333333333);
        unaryCase(UnaryOp.RECIPROCAL, -0.0, -inf);
        unaryCase(UnaryOp.RECIPROCAL, inf, 0.0);
        unaryCase(UnaryOp.RELU, -0.0, 0.0);
        unaryCase(UnaryOp.RELU, -2.0, 0.0);
        unaryCase(UnaryOp.RELU, 2.0, 2.0);
        unaryCase(UnaryOp.RELU, nan, nan);
        unaryCase(UnaryOp.RELU, -inf, 0.0);
        // fdlibm's e^1 (StrictMath fixes it), one ulp above Math.E, the double nearest e.
        unaryCase(UnaryOp.EXP, 1.0, 2.7182818284590455);
        unaryCase(UnaryOp.EXP, -inf, 0.0);
        unaryCase(UnaryOp.EXP, 0.0, 1.0);
        unaryCase(UnaryOp.LOG, 0.0, -inf);
        unaryCase(UnaryOp.LOG, -1.0, nan);
        unaryCase(UnaryOp.LOG, 1.0, 0.0);
        unaryCase(UnaryOp.TANH, inf, 1.0);
        unaryCase(UnaryOp.TANH, -0.0, -0.0);
        unaryCase(UnaryOp.SIGMOID, 0.0, 0.5);
        unaryCase(UnaryOp.SIGMOID, -inf, 0.0);
        unaryCase(UnaryOp.SIGMOID, inf, 1.0);
        unaryCase(UnaryOp.SIGN, -3.0, -1.0);
        unaryCase(UnaryOp.SIGN, -0.0, -0.0);
        unaryCase(UnaryOp.SIGN, nan, nan);
    }

    /** Every binary op, every length, strides 0/1/3 on either side, offsets, special values mixed in. */
    @Test
    void binaryOpsMatchTheScalarDefinitionBitForBit() {
        SplittableRandom r = new SplittableRandom(1);
        for (Float64Kernels k : twins()) {
            for (BinaryOp op : BinaryOp.values()) {
                for (int n : lengths()) {
                    for (int as : STRIDES) {
                        for (int bs : STRIDES) {
                            int aOff = r.nextInt(4), bOff = r.nextInt(4), outOff = r.nextInt(4);
                            double[] a = values(r, aOff + Math.max(1, n * as) + 1, true);
                            double[] b = values(r, bOff + Math.max(1, n * bs) + 1, true);
                            double[] out = output(outOff + n + 3);
                            k.binary(op, a, aOff, as, b, bOff, bs, out, outOff, n);
                            checkStrip(k.getClass().getSimpleName() + " " + op + " n=" + n + " strides " + as + ","
                                    + bs, out, outOff, n, i -> op.apply(a[aOff + i * as], b[bOff + i * bs]));
                        }
                    }
                }
            }
        }
    }

    @Test
    void unaryOpsMatchTheScalarDefinitionBitForBit() {
        SplittableRandom r = new SplittableRandom(2);
        for (Float64Kernels k : twins()) {
            for (UnaryOp op : UnaryOp.values()) {
                for (int n : lengths()) {
                    for (int s : STRIDES) {
                        int aOff = r.nextInt(4), outOff = r.nextInt(4);
                        double[] a = values(r, aOff + Math.max(1, n * s) + 1, true);
                        double[] out = output(outOff + n + 3);
                        k.unary(op, a, aOff, s, out, outOff, n);
                        checkStrip(k.getClass().getSimpleName() + " " + op + " n=" + n + " stride " + s, out, outOff,
                                n, i -> op.apply(a[aOff + i * s]));
                    }
                }
            }
        }
    }

    /** Out-of-place results equal in-place ones (out aliasing the operand), as Tensor ops use both. */
    @Test
    void inPlaceElementwiseMatches() {
        Float64Kernels v = vector();
        SplittableRandom r = new SplittableRandom(3);
        double[] a = values(r, 300, true), b = values(r, 300, true);
        for (BinaryOp op : BinaryOp.values()) {
            double[] expected = new double[300], inPlace = a.clone();
            new ScalarFloat64().binary(op, a, 0, 1, b, 0, 1, expected, 0, 300);
            v.binary(op, inPlace, 0, 1, b, 0, 1, inPlace, 0, 300);
            for (int i = 0; i < 300; i++) {
                assertSame(expected[i], inPlace[i], op + " in place at " + i);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ reductions

    private static BigDecimal exact(double x) {
        return new BigDecimal(x);
    }

    /** |got − exact| ≤ n·ulp(Σ|terms|): recursive or blocked summation of n terms stays within (n − 1)·u·Σ|terms|. */
    private static void assertNearExact(String what, BigDecimal exact, double absSum, double got, int n) {
        double bound = (n + 1) * Math.ulp(absSum);
        double err = exact.subtract(exact(got)).abs().doubleValue();
        if (!(err <= bound)) {
            fail(what + ": exact " + exact.doubleValue() + " but got " + got + " (error " + err + ", bound " + bound + ")");
        }
    }

    /** Terms of mixed magnitude and sign, so that the order of the adds matters. */
    private static double[] mixed(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
        }
        return a;
    }

    @Test
    void sumAndDotAreWithinNUlpsOfTheExactSum() {
        SplittableRandom r = new SplittableRandom(4);
        int[] extra = {1000, 4099, 1 << 16};
        int[] base = lengths();
        int[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        for (Float64Kernels k : twins()) {
            for (int n : all) {
                int off = r.nextInt(4), bOff = r.nextInt(4);
                double[] a = mixed(r, off + n + 2), b = mixed(r, bOff + n + 2);
                BigDecimal sum = BigDecimal.ZERO, dot = BigDecimal.ZERO;
                double abs = 0, dotAbs = 0;
                for (int i = 0; i < n; i++) {
                    sum = sum.add(exact(a[off + i]));
                    dot = dot.add(exact(a[off + i]).multiply(exact(b[bOff + i])));
                    abs += Math.abs(a[off + i]);
                    dotAbs += Math.abs(a[off + i] * b[bOff + i]);
                }
                // The absolute sums, computed in double, are a hair low: pad them by the same bound.
                abs *= 1 + 1e-12;
                dotAbs *= 1 + 1e-12;
                String name = k.getClass().getSimpleName() + " n=" + n;
                assertNearExact(name + " sum", sum, abs, k.sum(a, off, n), n);
                assertNearExact(name + " dot", dot, dotAbs, k.dot(a, off, b, bOff, n), n);
            }
            // Exactly representable sums come out exact in any order.
            double[] ints = new double[1000];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = i - 300;
            }
            assertEquals(1000 * 999 / 2 - 300 * 1000, k.sum(ints, 0, 1000), 0.0);
            assertEquals(0.0, k.sum(ints, 0, 0), 0.0);
            assertEquals(0.0, k.dot(ints, 0, ints, 0, 0), 0.0);
        }
    }

    @Test
    void sumAndDotPropagateInfinityAndNaN() {
        for (Float64Kernels k : twins()) {
            for (int n : lengths()) {
                if (n == 0) {
                    continue;
                }
                double[] a = new double[n];
                Arrays.fill(a, 1.0);
                a[n / 2] = Double.POSITIVE_INFINITY;
                assertSame(Double.POSITIVE_INFINITY, k.sum(a, 0, n), k.getClass().getSimpleName() + " sum +inf n=" + n);
                assertSame(Double.POSITIVE_INFINITY, k.dot(a, 0, a, 0, n), k.getClass().getSimpleName() + " dot +inf n=" + n);
                if (n > 2) { // n / 2 and n - 1 are then two places
                    a[n - 1] = Double.NEGATIVE_INFINITY;
                    assertSame(Double.NaN, k.sum(a, 0, n), k.getClass().getSimpleName() + " sum inf - inf n=" + n);
                }
                a[0] = Double.NaN;
                assertSame(Double.NaN, k.sum(a, 0, n), k.getClass().getSimpleName() + " sum NaN n=" + n);
                assertSame(Double.NaN, k.dot(a, 0, a, 0, n), k.getClass().getSimpleName() + " dot NaN n=" + n);
            }
        }
    }

    /**
     * The vector sum and dot product add in the order their Javadoc states, bit for bit: four accumulators of V
     * lanes over blocks of 4V, leftover vectors into the first, (acc0 + acc1) + (acc2 + acc3), lanes in index
     * order, then the tail.
     */
    @Test
    void vectorSumAndDotFollowTheirDocumentedOrder() {
        Float64Kernels v = vector();
        int lanes = lanes();
        boolean fma = Isa.current().fma();
        SplittableRandom r = new SplittableRandom(5);
        for (int n = VectorWidth.TINY; n < VectorWidth.TINY + 9 * lanes; n++) {
            double[] a = mixed(r, n + 1), b = mixed(r, n + 1);
            double[] s = new double[4 * lanes], d = new double[4 * lanes];
            int i = 0;
            for (; i + 4 * lanes <= n; i += 4 * lanes) {
                for (int j = 0; j < 4 * lanes; j++) {
                    s[j] += a[1 + i + j];
                    d[j] = fma ? Math.fma(a[1 + i + j], b[i + j], d[j]) : d[j] + a[1 + i + j] * b[i + j];
                }
            }
            for (; i + lanes <= n; i += lanes) {
                for (int j = 0; j < lanes; j++) {
                    s[j] += a[1 + i + j];
                    d[j] = fma ? Math.fma(a[1 + i + j], b[i + j], d[j]) : d[j] + a[1 + i + j] * b[i + j];
                }
            }
            double ss = 0, ds = 0;
            for (int l = 0; l < lanes; l++) {
                double ts = (s[l] + s[lanes + l]) + (s[2 * lanes + l] + s[3 * lanes + l]);
                double td = (d[l] + d[lanes + l]) + (d[2 * lanes + l] + d[3 * lanes + l]);
                ss = l == 0 ? ts : ss + ts;
                ds = l == 0 ? td : ds + td;
            }
            for (; i < n; i++) {
                ss += a[1 + i];
                ds = fma ? Math.fma(a[1 + i], b[i], ds) : ds + a[1 + i] * b[i];
            }
            assertSame(ss, v.sum(a, 1, n), "sum n=" + n);
            assertSame(ds, v.dot(a, 1, b, 0, n), "dot n=" + n);
        }
    }

    // ------------------------------------------------------------------------------------------ matrix product

    /** One product: operands laid out at offsets, transposed or not, with padded row strides; C padded too. */
    private static final class Product {
        final int m, n, k, aOff, aRs, aCs, bOff, bRs, bCs, cOff, cRs;
        final boolean accumulate;
        final double[] a, b, c0;

        Product(SplittableRandom r, int m, int n, int k, boolean aT, boolean bT, boolean accumulate) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.accumulate = accumulate;
            aOff = r.nextInt(3);
            bOff = r.nextInt(3);
            cOff = r.nextInt(3);
            // Transposed: stored k×m (or n×k), read with a column stride; padded leading dimensions either way.
            aRs = aT ? 1 : k + 2;
            aCs = aT ? m + 1 : 1;
            bRs = bT ? 1 : n + 3;
            bCs = bT ? k + 1 : 1;
            cRs = n + 2;
            a = values(r, aOff + (aT ? k * (m + 1) : m * (k + 2)) + 1, false);
            b = values(r, bOff + (bT ? n * (k + 1) : k * (n + 3)) + 1, false);
            c0 = new double[cOff + m * cRs + 1];
            Arrays.fill(c0, SENTINEL); // padding cells stay the sentinel
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c0[cOff + i * cRs + j] = accumulate ? r.nextGaussian() : SENTINEL; // overwritten when not
                }
            }
        }

        double[] run(Float64Kernels kernels) {
            double[] c = c0.clone();
            kernels.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return c;
        }

        double a(int i, int p) {
            return a[aOff + i * aRs + p * aCs];
        }

        double b(int p, int j) {
            return b[bOff + p * bRs + j * bCs];
        }

        @Override
        public String toString() {
            return m + "x" + n + "x" + k + (aCs != 1 ? " Aᵀ" : "") + (bCs != 1 ? " Bᵀ" : "")
                    + (accumulate ? " accumulate" : "");
        }
    }

    /**
     * The shapes every gemm test runs: past the plain-loop threshold with ragged rows and columns, fewer rows than
     * a tile, k = 0; with a hardware FMA also more depth than one packed block (KC), more rows than one (MC) and
     * more columns than one (NC). Without one ({@code -XX:UseAVX=0}) {@link Math#fma} runs through
     * {@code BigDecimal}, the large shapes would take minutes, and the vector twin runs the plain loop anyway.
     */
    private static final int[][] SHAPES = Isa.current().fma()
            ? new int[][] {{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 64, 64}, {5, 200, 3}, {7, 13, 50}, {13, 67, 40},
                    {2, 100, 40}, {6, 33, 11}, {31, 9, 129}, {4, 64, 0}, {20, 40, 700}, {150, 600, 30}}
            : new int[][] {{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 64, 64}, {5, 200, 3}, {7, 13, 50}, {4, 64, 0}};

    @Test
    void vectorGemmEqualsScalarGemmBitForBit() {
        Float64Kernels v = vector(), s = new ScalarFloat64();
        SplittableRandom r = new SplittableRandom(6);
        for (int[] sh : SHAPES) {
            for (int layout = 0; layout < 8; layout++) {
                Product p = new Product(r, sh[0], sh[1], sh[2], (layout & 1) != 0, (layout & 2) != 0,
                        (layout & 4) != 0);
                compareGemm(p, p.run(s), p.run(v));
            }
        }
    }

    /** Special values in A and B (NaN, infinities, ±0, huge and tiny): the two twins still agree bit for bit. */
    @Test
    void vectorGemmEqualsScalarGemmOnSpecialValues() {
        Float64Kernels v = vector(), s = new ScalarFloat64();
        SplittableRandom r = new SplittableRandom(9);
        for (int[] sh : SHAPES) {
            for (int layout = 0; layout < 8; layout++) {
                Product p = new Product(r, sh[0], sh[1], sh[2], (layout & 1) != 0, (layout & 2) != 0,
                        (layout & 4) != 0);
                // Sparse specials, so that most elements of C stay finite and informative.
                for (double[] x : new double[][] {p.a, p.b}) {
                    for (int i = 0; i < x.length; i++) {
                        if (r.nextInt(40) == 0) {
                            x[i] = SPECIALS[r.nextInt(SPECIALS.length)];
                        }
                    }
                }
                compareGemm(p, p.run(s), p.run(v));
            }
        }
    }

    /** Same bits in C (any NaN equal to any NaN); the padding around C untouched, to the bit. */
    private static void compareGemm(Product p, double[] expected, double[] got) {
        for (int i = 0; i < got.length; i++) {
            int rel = i - p.cOff, row = rel / p.cRs, col = rel % p.cRs;
            boolean inC = rel >= 0 && row < p.m && col < p.n;
            if (!inC && Double.doubleToRawLongBits(got[i]) != SENTINEL_BITS) {
                fail("gemm " + p + " wrote outside C at " + i);
            }
            if (inC && !same(expected[i], got[i])) {
                fail("gemm " + p + " differs at " + row + "," + col + ": scalar " + expected[i] + ", vector " + got[i]);
            }
        }
    }

    /** The scalar twin against the definition: each element its products in increasing p by fma, from 0 or C. */
    @Test
    void scalarGemmIsTheFmaChain() {
        SplittableRandom r = new SplittableRandom(7);
        for (int[] sh : SHAPES) {
            for (int layout = 0; layout < 8; layout++) {
                Product p = new Product(r, sh[0], sh[1], sh[2], (layout & 1) != 0, (layout & 2) != 0,
                        (layout & 4) != 0);
                double[] got = p.run(new ScalarFloat64());
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        int at = p.cOff + i * p.cRs + j;
                        double e = p.accumulate ? p.c0[at] : 0.0;
                        for (int q = 0; q < p.k; q++) {
                            e = Math.fma(p.a(i, q), p.b(q, j), e);
                        }
                        assertSame(e, got[at], "scalar gemm " + p + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void gemmIsWithinKUlpsOfTheExactProduct() {
        SplittableRandom r = new SplittableRandom(8);
        for (Float64Kernels kernels : twins()) {
            for (boolean acc : new boolean[] {false, true}) {
                Product p = new Product(r, 64, 70, 130, false, true, acc);
                double[] got = p.run(kernels);
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        int at = p.cOff + i * p.cRs + j;
                        BigDecimal e = acc ? exact(p.c0[at]) : BigDecimal.ZERO;
                        double abs = acc ? Math.abs(p.c0[at]) : 0;
                        for (int q = 0; q < p.k; q++) {
                            e = e.add(exact(p.a(i, q)).multiply(exact(p.b(q, j)), MathContext.UNLIMITED));
                            abs += Math.abs(p.a(i, q) * p.b(q, j));
                        }
                        assertNearExact(kernels.getClass().getSimpleName() + " gemm " + p + " at " + i + "," + j, e,
                                abs * (1 + 1e-12), got[at], p.k + 1);
                    }
                }
            }
        }
    }

    /**
     * Hand-computed: A all ones (64×64), B[p, j] = p + j, so C[i, j] = Σ_p (p + j) = 2016 + 64·j exactly, and with
     * accumulate C's old value on top; and products that are all −0.0 give +0.0 (the chain starts at +0.0).
     */
    @Test
    void gemmGivesHandComputedValues() {
        int s = 64;
        double[] a = new double[s * s], b = new double[s * s];
        Arrays.fill(a, 1.0);
        for (int p = 0; p < s; p++) {
            for (int j = 0; j < s; j++) {
                b[p * s + j] = p + j;
            }
        }
        for (Float64Kernels k : twins()) {
            double[] c = new double[s * s];
            Arrays.fill(c, 99);
            k.gemm(s, s, s, a, 0, s, 1, b, 0, s, 1, c, 0, s, false);
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    assertEquals(2016.0 + 64 * j, c[i * s + j], 0.0, k + " at " + i + "," + j);
                }
            }
            k.gemm(s, s, s, a, 0, s, 1, b, 0, s, 1, c, 0, s, true);
            assertEquals(2 * (2016.0 + 64 * 5), c[3 * s + 5], 0.0);

            double[] zeros = new double[40 * 30], negative = new double[30 * 50], out = new double[40 * 50];
            Arrays.fill(negative, -2.0);
            Arrays.fill(out, 7.0);
            k.gemm(40, 50, 30, zeros, 0, 30, 1, negative, 0, 50, 1, out, 0, 50, false);
            for (double x : out) {
                assertSame(0.0, x, k + " zero products overwrite C with +0.0");
            }
            // k = 0: overwrite gives zeros, accumulate leaves C.
            Arrays.fill(out, 7.0);
            k.gemm(40, 50, 0, zeros, 0, 30, 1, negative, 0, 50, 1, out, 0, 50, true);
            assertEquals(7.0, out[123], 0.0);
            k.gemm(40, 50, 0, zeros, 0, 30, 1, negative, 0, 50, 1, out, 0, 50, false);
            assertSame(0.0, out[123], "k = 0 overwrites with zeros");
        }
    }

    @Test
    void vectorTwinIsChosenWhenTheVectorPathIsOn() {
        String expected = Kernels.isVectorized() ? "VectorFloat64" : "ScalarFloat64";
        assertEquals(expected, Float64Kernels.CHOSEN.getClass().getSimpleName());
        if (Kernels.vectorModulePresent()) {
            assertTrue(vector() instanceof VectorFloat64);
        }
    }
}
