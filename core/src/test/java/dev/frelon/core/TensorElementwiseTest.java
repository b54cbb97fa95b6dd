package dev.frelon.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static dev.frelon.core.Check.close;
import static dev.frelon.core.Check.exact;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Elementwise operations, broadcasting and in-place updates. Also run without the Vector API module, so it
 * checks the plain-Java path too.
 */
class TensorElementwiseTest {

    /** A binary operation, its scalar overload and its float definition. */
    private record Bin(String name, BiFunction<Tensor, Tensor, Tensor> op, BiFunction<Tensor, Float, Tensor> scalarOp,
                       DoubleBinaryOperator ref) {
    }

    private static float f(double v) {
        return (float) v;
    }

    private static final List<Bin> BINARY = List.of(
            new Bin("add", Tensor::add, Tensor::add, (a, b) -> f(a) + f(b)),
            new Bin("sub", Tensor::sub, Tensor::sub, (a, b) -> f(a) - f(b)),
            new Bin("mul", Tensor::mul, Tensor::mul, (a, b) -> f(a) * f(b)),
            new Bin("div", Tensor::div, Tensor::div, (a, b) -> f(a) / f(b)),
            new Bin("pow", Tensor::pow, Tensor::pow, (a, b) -> f(Math.pow(a, b))),
            new Bin("maximum", Tensor::maximum, Tensor::maximum, (a, b) -> Math.max(f(a), f(b))),
            new Bin("minimum", Tensor::minimum, Tensor::minimum, (a, b) -> Math.min(f(a), f(b))),
            new Bin("eq", Tensor::eq, Tensor::eq, (a, b) -> a == b ? 1 : 0),
            new Bin("ne", Tensor::ne, Tensor::ne, (a, b) -> a != b ? 1 : 0),
            new Bin("lt", Tensor::lt, Tensor::lt, (a, b) -> a < b ? 1 : 0),
            new Bin("le", Tensor::le, Tensor::le, (a, b) -> a <= b ? 1 : 0),
            new Bin("gt", Tensor::gt, Tensor::gt, (a, b) -> a > b ? 1 : 0),
            new Bin("ge", Tensor::ge, Tensor::ge, (a, b) -> a >= b ? 1 : 0));

    /** A unary operation, its definition in double, and the relative tolerance (0: exact). */
    private record Un(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, double rtol) {
        /** Absolute slack next to the relative tolerance, for results near 0. */
        double atol() {
            return rtol == 0 ? 0 : 1e-7;
        }
    }

    private static final List<Un> UNARY = List.of(
            new Un("neg", Tensor::neg, x -> -x, 0),
            new Un("exp", Tensor::exp, Math::exp, 2e-6),
            new Un("log", Tensor::log, Math::log, 2e-6),
            new Un("sqrt", Tensor::sqrt, Math::sqrt, 0),
            new Un("abs", Tensor::abs, Math::abs, 0),
            new Un("sign", Tensor::sign, Math::signum, 0),
            new Un("tanh", Tensor::tanh, Math::tanh, 2e-6),
            new Un("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), 2e-6),
            new Un("relu", Tensor::relu, x -> Math.max(x, 0), 0),
            new Un("square", Tensor::square, x -> f(x) * f(x), 0),
            new Un("reciprocal", Tensor::reciprocal, x -> 1 / x, 0),
            new Un("affine", t -> t.affine(-1.5f, 0.25f), x -> x * -1.5 + 0.25, 1e-6),
            new Un("pow2", t -> t.pow(2f), x -> f(x) * f(x), 0),
            new Un("pow1", t -> t.pow(1f), x -> x, 0),
            new Un("pow3", t -> t.pow(3f), x -> f(Math.pow(x, 3)), 0),
            new Un("powHalf", t -> t.pow(0.5f), x -> f(Math.pow(x, 0.5)), 0),
            new Un("clamp", t -> t.clamp(-0.5f, 1f), x -> Math.min(Math.max(x, -0.5), 1), 0));

    private static int[] broadcastShape(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new AssertionError("test shapes do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    private static void assertMatches(String what, float got, double expected, double rtol) {
        assertMatches(what, got, expected, rtol, 0);
    }

    private static void assertMatches(String what, float got, double expected, double rtol, double atol) {
        if (Double.isNaN(expected) || Float.isNaN(got)) {
            if (!(Double.isNaN(expected) && Float.isNaN(got))) {
                fail(what + ": expected " + expected + " but got " + got);
            }
            return;
        }
        if (rtol == 0 || Double.isInfinite(expected)) {
            if (got != (float) expected) {
                fail(what + ": expected " + (float) expected + " but got " + got);
            }
        } else if (!(Math.abs(got - expected) <= rtol * Math.abs(expected) + atol + 1e-30)) {
            fail(what + ": expected " + expected + " but got " + got);
        }
    }

    // ---------------------------------------------------------------------------------- broadcasting

    @Test
    void broadcastsAColumnAgainstARow() {
        // [3, 1] + [4] -> [3, 4]
        Tensor col = Tensor.of(new float[] {0, 10, 20}, 3, 1);
        Tensor row = Tensor.of(new float[] {1, 2, 3, 4});
        exact(col.add(row), shape(3, 4), 1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24);
        exact(row.add(col), shape(3, 4), 1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24);
        exact(col.sub(row), shape(3, 4), -1, -2, -3, -4, 9, 8, 7, 6, 19, 18, 17, 16);
    }

    @Test
    void broadcastsThreeDimsAgainstTwo() {
        // [2, 1, 3] with [4, 1] -> [2, 4, 3]: a[i][0][k] = 100i + k, b[j][0] = 10j.
        Tensor a = Check.build(shape(2, 1, 3), idx -> 100 * idx[0] + idx[2]);
        Tensor b = Check.build(shape(4, 1), idx -> 10 * idx[0]);
        Tensor s = a.add(b);
        assertArrayEquals(new int[] {2, 4, 3}, s.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(100 * i + 10 * j + k, s.get(i, j, k));
                }
            }
        }
        assertEquals(s, b.add(a));
    }

    @Test
    void numpyDocumentedBroadcasts() {
        // From the NumPy broadcasting guide: a[:, newaxis] + b.
        Tensor a = Tensor.of(new float[] {0, 10, 20, 30}).unsqueeze(1);
        Tensor b = Tensor.of(new float[] {1, 2, 3});
        exact(a.add(b), shape(4, 3), 1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33);
        // x = arange(4); xx = x.reshape(4, 1); y = ones(5); z = ones((3, 4))
        Tensor x = Tensor.arange(4), xx = x.reshape(4, 1), y = Tensor.ones(5), z = Tensor.ones(3, 4);
        exact(xx.add(y), shape(4, 5), 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4);
        exact(x.add(z), shape(3, 4), 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4);
        exact(xx.mul(y), shape(4, 5), 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3);
        // Shapes of the guide's table.
        assertArrayEquals(new int[] {8, 7, 6, 5}, Tensor.zeros(8, 1, 6, 1).add(Tensor.zeros(7, 1, 5)).shape());
        assertArrayEquals(new int[] {5, 4}, Tensor.zeros(5, 4).add(Tensor.zeros(1)).shape());
        assertArrayEquals(new int[] {5, 4}, Tensor.zeros(5, 4).add(Tensor.zeros(4)).shape());
        assertArrayEquals(new int[] {15, 3, 5}, Tensor.zeros(15, 3, 5).add(Tensor.zeros(15, 1, 5)).shape());
        assertArrayEquals(new int[] {15, 3, 5}, Tensor.zeros(15, 3, 5).add(Tensor.zeros(3, 5)).shape());
        assertArrayEquals(new int[] {15, 3, 5}, Tensor.zeros(15, 3, 5).add(Tensor.zeros(3, 1)).shape());
        // ... and its mismatches.
        iae(() -> Tensor.zeros(3).add(Tensor.zeros(4)), "add: shapes [3] and [4] cannot be broadcast (dim 0 of the result: 3 vs 4)");
        iae(() -> Tensor.zeros(2, 1).mul(Tensor.zeros(8, 4, 3)),
                "mul: shapes [2, 1] and [8, 4, 3] cannot be broadcast (dim 1 of the result: 2 vs 4)");
    }

    @Test
    void broadcastingWithZeroDimAndEmptyTensors() {
        exact(Tensor.scalar(2f).mul(Tensor.scalar(3f)), shape(), 6f);
        exact(Tensor.scalar(1f).add(Tensor.arange(6).reshape(2, 3)), shape(2, 3), 1, 2, 3, 4, 5, 6);
        exact(Tensor.zeros(0, 3).add(Tensor.ones(3)), shape(0, 3));
        exact(Tensor.zeros(0).add(Tensor.ones(1)), shape(0));
        exact(Tensor.zeros(2, 0).add(Tensor.ones(2, 1)), shape(2, 0));
        exact(Tensor.zeros(1, 0).add(Tensor.ones(3, 1)), shape(3, 0));
        exact(Tensor.zeros(0, 2).exp(), shape(0, 2));
        iae(() -> Tensor.zeros(0).add(Tensor.zeros(2)), "add: shapes [0] and [2] cannot be broadcast");
    }

    // ---------------------------------------------------------------------------------- every op, every layout

    private static final int[][][] BINARY_SHAPES = {
            {{3, 4}, {3, 4}}, {{3, 1}, {4}}, {{2, 1, 3}, {4, 1}}, {{5, 7}, {}}, {{}, {2, 3}}, {{6}, {1}},
            {{33, 17}, {17}}, {{4, 1, 37}, {1, 5, 37}}};

    @Test
    void everyBinaryOpOnEveryLayoutMatchesItsDefinition() {
        long seed = 1;
        for (int[][] shapes : BINARY_SHAPES) {
            Tensor a = Check.random(seed++, shapes[0]);
            Tensor b = Check.random(seed++, shapes[1]);
            // Plant equal values so that the comparisons see ties.
            if (a.numel() > 1 && b.numel() > 1) {
                a.set(b.toArray()[0], new int[a.dim()]);
            }
            int[] outShape = broadcastShape(shapes[0], shapes[1]);
            Tensor[] la = Check.layouts(a), lb = Check.layouts(b);
            for (Bin op : BINARY) {
                for (int i = 0; i < la.length; i++) {
                    for (int j = 0; j < lb.length; j++) {
                        Tensor out = op.op().apply(la[i], lb[j]);
                        assertArrayEquals(outShape, out.shape(), op.name());
                        assertTrue(out.isContiguous());
                        int n = Check.numel(outShape);
                        for (int p = 0; p < n; p++) {
                            int[] idx = Check.unravel(p, outShape);
                            double expected = op.ref().applyAsDouble(Check.broadcastGet(a, idx), Check.broadcastGet(b, idx));
                            assertMatches(op.name() + " " + Check.str(shapes[0]) + " " + Check.LAYOUT.apply(i) + " with "
                                    + Check.str(shapes[1]) + " " + Check.LAYOUT.apply(j) + " at " + Check.str(idx),
                                    out.get(idx), expected, 0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void scalarOverloadsEqualTheTensorForm() {
        Tensor a = Check.random(5, 4, 9);
        Tensor at = Check.random(6, 9, 4).t();
        for (Bin op : BINARY) {
            for (float s : new float[] {0f, 1.5f, -2f, 0.5f}) {
                assertEquals(op.op().apply(a, Tensor.scalar(s)), op.scalarOp().apply(a, s), op.name() + " " + s);
                assertEquals(op.op().apply(at, Tensor.scalar(s)), op.scalarOp().apply(at, s), op.name() + " " + s);
            }
        }
        exact(Tensor.of(new float[] {1, 2, 3}).add(1f), shape(3), 2, 3, 4);
        exact(Tensor.of(new float[] {1, 2, 3}).sub(1f), shape(3), 0, 1, 2);
        exact(Tensor.of(new float[] {1, 2, 3}).mul(-2f), shape(3), -2, -4, -6);
        exact(Tensor.of(new float[] {1, 2, 3}).div(4f), shape(3), 0.25f, 0.5f, 0.75f);
        exact(Tensor.of(new float[] {1, 2, 3}).pow(3f), shape(3), 1, 8, 27);
        exact(Tensor.of(new float[] {4, 9, 16}).pow(0.5f), shape(3), 2, 3, 4);
        exact(Tensor.of(new float[] {2, 3}).pow(-1f), shape(2), 0.5f, 1 / 3f);
        exact(Tensor.of(new float[] {2, -3}).pow(0f), shape(2), 1, 1);
        exact(Tensor.of(new float[] {-2, 3}).pow(Tensor.of(new float[] {3, 2})), shape(2), -8, 9);
        exact(Tensor.of(new float[] {1, -2, 3}).maximum(0f), shape(3), 1, 0, 3);
        exact(Tensor.of(new float[] {1, -2, 3}).minimum(0f), shape(3), 0, -2, 0);
    }

    @Test
    void powOfOneIsANewTensor() {
        Tensor a = Tensor.of(new float[] {1, 2});
        Tensor p = a.pow(1f);
        assertEquals(a, p);
        assertFalse(p.sharesStorageWith(a));
    }

    private static final int[][] UNARY_SHAPES = {{3, 4}, {2, 3, 5}, {}, {70}, {1, 1}, {17, 33}, {0, 3}};

    @Test
    void everyUnaryOpOnEveryLayoutMatchesItsDefinition() {
        long seed = 100;
        for (int[] s : UNARY_SHAPES) {
            Tensor x = Check.random(seed++, s);
            Tensor pos = x.abs().add(0.01f);
            for (Un op : UNARY) {
                Tensor in = op.name().equals("log") || op.name().equals("sqrt") || op.name().equals("powHalf") ? pos : x;
                Tensor[] layouts = Check.layouts(in);
                for (int l = 0; l < layouts.length; l++) {
                    Tensor out = op.op().apply(layouts[l]);
                    assertArrayEquals(s, out.shape());
                    for (int p = 0; p < out.numel(); p++) {
                        int[] idx = Check.unravel(p, s);
                        assertMatches(op.name() + " " + Check.str(s) + " " + Check.LAYOUT.apply(l) + " at " + Check.str(idx),
                                out.get(idx), op.ref().applyAsDouble(in.get(idx)), op.rtol(), op.atol());
                    }
                }
            }
        }
    }

    @Test
    void unaryOpsOnAnExpandedInput() {
        Tensor col = Tensor.of(new float[] {-1, 0.5f, 2}, 3, 1);
        Tensor e = col.expand(3, 5);
        exact(e.neg(), shape(3, 5), 1, 1, 1, 1, 1, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -2, -2, -2, -2, -2);
        exact(e.relu().sum(1), shape(3), 0, 2.5f, 10);
        close(e.exp().sum(1), shape(3), 1e-6, 0, 5 * Math.exp(-1), 5 * Math.exp(0.5), 5 * Math.exp(2));
    }

    // ---------------------------------------------------------------------------------- special values

    /** {@code values} repeated {@code times} times: long enough for the SIMD main loops, not only their tails. */
    private static Tensor tiled(int times, float... values) {
        float[] out = new float[values.length * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(values, 0, out, t * values.length, values.length);
        }
        return Tensor.of(out);
    }

    /** Checks every repetition of a {@link #tiled} result against one row of expected values. */
    private static void exactTiled(Tensor got, float... expected) {
        float[] g = got.toArray();
        assertEquals(0, g.length % expected.length);
        for (int i = 0; i < g.length; i++) {
            float e = expected[i % expected.length];
            if (!(Float.isNaN(e) && Float.isNaN(g[i])) && e != g[i]) {
                fail("position " + i + ": expected " + e + " but got " + g[i]);
            }
        }
    }

    @Test
    void sigmoidAndTanhSaturateWithoutNaN() {
        float[] in = {-1e4f, -100, -20, 0, 20, 100, 1e4f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        for (int times : new int[] {1, 7}) {
            Tensor x = tiled(times, in);
            float[] s = x.sigmoid().toArray();
            for (int i = 0; i < s.length; i++) {
                float v = s[i];
                assertFalse(Float.isNaN(v), "sigmoid(" + in[i % in.length] + ")");
                assertTrue(v >= 0f && v <= 1f, "sigmoid in [0, 1]: " + v);
                switch (i % in.length) {
                    case 0, 1, 7 -> assertTrue(v < 1e-30f, "sigmoid(" + in[i % in.length] + ") = " + v);
                    case 2 -> assertEquals(2.0611537e-9f, v, 1e-15f);
                    case 3 -> assertEquals(0.5f, v);
                    default -> assertEquals(1f, v, 1e-7f);
                }
            }
            exactTiled(x.tanh(), -1, -1, -1, 0, 1, 1, 1, -1, 1);
        }
    }

    @Test
    void specialValuesFollowIeee() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        for (int times : new int[] {1, 6}) {
            Tensor x = tiled(times, -3, -0f, 0, 2, nan, inf, -inf);
            exactTiled(x.sign(), -1, 0, 0, 1, nan, 1, -1);
            exactTiled(x.abs(), 3, 0, 0, 2, nan, inf, inf);
            exactTiled(x.relu(), 0, 0, 0, 2, nan, inf, 0);
            exactTiled(x.neg(), 3, 0, 0, -2, nan, -inf, inf);
            exactTiled(x.square(), 9, 0, 0, 4, nan, inf, inf);
            float[] e = x.exp().toArray();
            for (int i = 0; i < e.length; i += 7) {
                assertEquals((float) Math.exp(-3), e[i], 1e-7f);
                assertEquals(1f, e[i + 1]);
                assertEquals(1f, e[i + 2]);
                assertEquals((float) Math.exp(2), e[i + 3], 1e-5f);
                assertTrue(Float.isNaN(e[i + 4]));
                assertEquals(inf, e[i + 5]);
                assertEquals(0f, e[i + 6]);
            }
            exactTiled(tiled(times, 0, -1, 1, inf, nan).log(), -inf, nan, 0, inf, nan);
            exactTiled(tiled(times, -1, 0, 4, inf).sqrt(), nan, 0, 2, inf);
            exactTiled(tiled(times, 0, -0f, 4, inf).reciprocal(), inf, -inf, 0.25f, 0);
            exactTiled(tiled(times, 1, -1, 0, nan).div(0f), inf, -inf, nan, nan);
            exactTiled(tiled(times, 1, nan, nan, 2).maximum(tiled(times, nan, 1, nan, 3)), nan, nan, nan, 3);
            exactTiled(tiled(times, 1, nan, nan, 2).minimum(tiled(times, nan, 1, nan, 3)), nan, nan, nan, 2);
            exactTiled(tiled(times, 1, nan, -5).minimum(0f), 0, nan, -5);
            exactTiled(tiled(times, 1, nan, -5).maximum(0f), 1, nan, 0);
        }
    }

    @Test
    void comparisonsGiveZeroOneMasks() {
        float nan = Float.NaN;
        for (int times : new int[] {1, 9}) {
            Tensor a = tiled(times, 1, 2, 3, nan, nan, -0f);
            Tensor b = tiled(times, 3, 2, 1, nan, 1, 0);
            exactTiled(a.eq(b), 0, 1, 0, 0, 0, 1);
            exactTiled(a.ne(b), 1, 0, 1, 1, 1, 0);
            exactTiled(a.lt(b), 1, 0, 0, 0, 0, 0);
            exactTiled(a.le(b), 1, 1, 0, 0, 0, 1);
            exactTiled(a.gt(b), 0, 0, 1, 0, 0, 0);
            exactTiled(a.ge(b), 0, 1, 1, 0, 0, 1);
            exactTiled(a.gt(1.5f), 0, 1, 1, 0, 0, 0);
            exactTiled(a.le(2f), 1, 1, 0, 0, 0, 1);
            exactTiled(a.eq(2f), 0, 1, 0, 0, 0, 0);
            exactTiled(a.ne(2f), 1, 0, 1, 1, 1, 1);
            exactTiled(a.lt(3f), 1, 1, 0, 0, 0, 1);
            exactTiled(a.ge(3f), 0, 0, 1, 0, 0, 0);
            exactTiled(a.eq(nan), 0, 0, 0, 0, 0, 0);
            exactTiled(a.ne(nan), 1, 1, 1, 1, 1, 1);
        }
        // As a mask: count of values above the mean of 1..10.
        assertEquals(5f, Tensor.arange(1, 11, 1).gt(5.5f).sum().item());
        Tensor r = Tensor.arange(50);
        assertEquals(25f, r.lt(25f).sum().item());
        assertEquals(1f, r.eq(Tensor.full(49f, 50)).sum().item());
    }

    @Test
    void clampLimitsValues() {
        exact(Tensor.of(new float[] {-2, -0.5f, 0.5f, 2}).clamp(-1, 1), shape(4), -1, -0.5f, 0.5f, 1);
        exact(Tensor.of(new float[] {-2, 3}).clamp(0, 0), shape(2), 0, 0);
        exact(Tensor.of(new float[] {Float.NaN}).clamp(0, 1), shape(1), Float.NaN);
        exact(Tensor.arange(6).reshape(2, 3).t().clamp(1, 4), shape(3, 2), 1, 3, 1, 4, 2, 4);
        iae(() -> Tensor.zeros(2).clamp(1, -1), "clamp: min 1 is greater than max -1");
        iae(() -> Tensor.zeros(2).clamp(1f, -1f), "clamp: min 1.0 is greater than max -1.0");
        // Integer bounds keep an int64 tensor int64 (and exact beyond 2^24), as PyTorch does.
        Tensor big = Tensor.of(new long[] {16777217, -3}).clamp(0, 20_000_000);
        assertEquals(DType.INT64, big.dtype());
        assertArrayEquals(new long[] {16777217, 0}, big.toLongArray());
        iae(() -> Tensor.zeros(2).clamp(Float.NaN, 1), "clamp: min NaN is greater than max 1.0");
    }

    @Test
    void affineScalesAndShifts() {
        exact(Tensor.of(new float[] {1, 2, 3}).affine(2, 1), shape(3), 3, 5, 7);
        exact(Tensor.arange(6).reshape(2, 3).t().affine(-1, 0.5f), shape(3, 2), 0.5f, -2.5f, -0.5f, -3.5f, -1.5f, -4.5f);
        exact(Tensor.scalar(2f).affine(3, -1), shape(), 5);
    }

    @Test
    void wherePicksByMask() {
        Tensor mask = Tensor.of(new boolean[] {true, false}, 2, 1);
        Tensor a = Tensor.of(new float[] {1, 2, 3});
        exact(Tensor.where(mask, a, Tensor.scalar(-1f)), shape(2, 3), 1, 2, 3, -1, -1, -1);
        exact(Tensor.where(Tensor.of(new float[] {2, 0, -1, Float.NaN}).to(DType.BOOL), 5f, 6f), shape(4), 5, 6, 5, 5);
        Tensor m = Tensor.of(new boolean[] {true, false, false, true}, 2, 2);
        Tensor x = Tensor.arange(4).reshape(2, 2).t();          // [[0, 2], [1, 3]]
        Tensor y = Tensor.arange(10, 14, 1).reshape(2, 2);      // [[10, 11], [12, 13]]
        exact(Tensor.where(m, x, y), shape(2, 2), 0, 11, 12, 3);
        exact(Tensor.where(m.t(), y, x), shape(2, 2), 10, 2, 1, 13);
        exact(Tensor.where(Tensor.scalar(1, DType.BOOL), Tensor.zeros(0, 2), Tensor.scalar(1f)), shape(0, 2));
        iae(() -> Tensor.where(Tensor.ones(DType.BOOL, 3), Tensor.ones(2), Tensor.ones(3)), "where: shapes [3] and [2] cannot be broadcast");
        iae(() -> Tensor.where(Tensor.ones(DType.BOOL, 3), Tensor.ones(3), Tensor.ones(2)), "where: shapes [3] and [2] cannot be broadcast");
    }

    @Test
    void operandsAreNotModified() {
        Tensor a = Check.random(9, 3, 4), b = Check.random(10, 4);
        Tensor a0 = a.copy(), b0 = b.copy();
        for (Bin op : BINARY) {
            op.op().apply(a, b);
        }
        for (Un op : UNARY) {
            op.op().apply(a);
        }
        assertEquals(a0, a);
        assertEquals(b0, b);
        assertEquals(0, a.version());
        assertNotSame(a.add(0f), a);
    }

    // ---------------------------------------------------------------------------------- in place

    @Test
    void addInPlaceWithAlpha() {
        Tensor a = Tensor.of(new float[] {1, 2, 3});
        Tensor r = a.addInPlace(Tensor.of(new float[] {10, 20, 30}), 0.5f);
        assertTrue(r == a);
        exact(a, shape(3), 6, 12, 18);
        a.addInPlace(Tensor.of(new float[] {1, 1, 1}));
        exact(a, shape(3), 7, 13, 19);
        a.addInPlace(Tensor.scalar(2f), -1f);
        exact(a, shape(3), 5, 11, 17);
        // Broadcast rows into a matrix, and into a transposed view of one.
        Tensor m = Tensor.zeros(2, 3);
        m.addInPlace(Tensor.of(new float[] {1, 2, 3}), 2f);
        exact(m, shape(2, 3), 2, 4, 6, 2, 4, 6);
        Tensor base = Tensor.zeros(2, 3);
        base.t().addInPlace(Tensor.of(new float[] {1, 2}), 3f);
        exact(base, shape(2, 3), 3, 3, 3, 6, 6, 6);
    }

    @Test
    void broadcastAddInPlaceMatchesTheAddItReplaces() {
        // A bias row added to each row of a batch (one axpy per row), into a view at an offset; a column added to
        // each column (a broadcast inner stride); and both into a transposed destination. Each must give the bits
        // of a + alpha * b computed out of place, and leave the storage around the view alone.
        Tensor bias = Check.random(81, 37);
        Tensor column = Check.random(82, 5, 1);
        for (float alpha : new float[] {1f, -0.37f}) {
            Tensor storage = Check.random(80, 5 * 37 + 4), original = storage.copy();
            Tensor batch = storage.narrow(0, 3, 5 * 37).reshape(5, 37);
            Tensor before = batch.copy();
            batch.addInPlace(bias, alpha);
            assertEquals(before.add(bias.mul(alpha)), batch, "row broadcast, alpha " + alpha);
            assertEquals(original.narrow(0, 0, 3), storage.narrow(0, 0, 3), "before the view");
            assertEquals(original.narrow(0, 5 * 37 + 3, 1), storage.narrow(0, 5 * 37 + 3, 1), "after the view");

            before = batch.copy();
            batch.addInPlace(column, alpha);
            assertEquals(before.add(column.mul(alpha)), batch, "column broadcast, alpha " + alpha);

            Tensor square = Check.random(83, 37, 5);
            Tensor expected = square.t().add(bias.mul(alpha));
            square.t().addInPlace(bias, alpha);
            assertEquals(expected, square.t(), "into a transposed view, alpha " + alpha);
        }
    }

    @Test
    void inPlaceOpsOnLongRunsAndOffsets() {
        // 100 values at offset 3 of a longer storage: the dense kernel path with an offset, SIMD body and tail.
        Tensor base = Tensor.full(-7f, 110);
        Tensor v = base.narrow(0, 3, 100);
        v.fill(1f);
        Tensor other = Tensor.arange(100);
        v.addInPlace(other, 2f);
        v.mulInPlace(0.5f);
        for (int i = 0; i < 110; i++) {
            float expected = i < 3 || i >= 103 ? -7f : (1f + 2f * (i - 3)) * 0.5f;
            assertEquals(expected, base.get(i), "position " + i);
        }
        // Non-contiguous: every other element.
        Tensor b2 = Tensor.zeros(20);
        Tensor odd = b2.slice(0, 1, 20, 2);
        odd.addInPlace(Tensor.arange(10), -1f);
        odd.mulInPlace(3f);
        for (int i = 0; i < 20; i++) {
            assertEquals(i % 2 == 1 ? -3f * (i / 2) + 0f : 0f, b2.get(i)); // + 0f: 0 - 0 is +0, not -0
        }
    }

    @Test
    void mulInPlaceScalarAndTensor() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        a.mulInPlace(2f);
        exact(a, shape(2, 3), 0, 2, 4, 6, 8, 10);
        a.mulInPlace(Tensor.of(new float[] {1, -1, 0.5f}));
        exact(a, shape(2, 3), 0, -2, 2, 6, -8, 5);
        a.t().mulInPlace(Tensor.of(new float[] {10, 100}));
        exact(a, shape(2, 3), 0, -20, 20, 600, -800, 500);
        a.t().mulInPlace(-1f);
        exact(a, shape(2, 3), 0, 20, -20, -600, 800, -500);
    }

    @Test
    void inPlaceUpdatesMayAliasTheirOperand() {
        Tensor a = Check.random(77, 5, 5);
        Tensor expected = a.add(a.t());
        a.addInPlace(a.t());
        assertEquals(expected, a, "a += a.t() must read the original a");

        Tensor b = Check.random(78, 5, 5);
        Tensor expectedB = b.add(b.t().mul(-2f));
        b.addInPlace(b.t(), -2f);
        assertEquals(expectedB, b);

        Tensor c = Check.random(79, 4, 4);
        Tensor expectedC = c.mul(c.t());
        c.mulInPlace(c.t());
        assertEquals(expectedC, c);

        Tensor d = Check.random(80, 4, 4);
        Tensor expectedD = d.t().contiguous();
        d.copyFrom(d.t());
        assertEquals(expectedD, d);

        Tensor e = Check.random(81, 3, 4);
        Tensor expectedE = e.add(e);
        e.addInPlace(e);
        assertEquals(expectedE, e);

        // Overlapping row windows: rows 1..2 += rows 0..1, all read before any is written.
        Tensor f = Tensor.arange(12).reshape(3, 4);
        f.narrow(0, 1, 2).addInPlace(f.narrow(0, 0, 2));
        exact(f, shape(3, 4), 0, 1, 2, 3, 4, 6, 8, 10, 12, 14, 16, 18);
        Tensor g = Tensor.arange(6);
        g.narrow(0, 1, 5).copyFrom(g.narrow(0, 0, 5));
        exact(g, shape(6), 0, 0, 1, 2, 3, 4);
    }

    @Test
    void inPlaceShapeErrors() {
        iae(() -> Tensor.zeros(3).addInPlace(Tensor.zeros(2, 3)), "addInPlace: cannot broadcast shape [2, 3] to [3] (target has fewer dims)");
        iae(() -> Tensor.zeros(3).addInPlace(Tensor.zeros(4), 2f), "addInPlace: cannot broadcast shape [4] to [3] (dim 0: 4 vs 3)");
        iae(() -> Tensor.zeros(2, 3).copyFrom(Tensor.zeros(2)), "copyFrom: cannot broadcast shape [2] to [2, 3] (dim 0: 2 vs 3)");
        iae(() -> Tensor.zeros(2, 3).mulInPlace(Tensor.zeros(3, 1)), "mulInPlace: cannot broadcast shape [3, 1] to [2, 3] (dim 0: 3 vs 2)");
        // A failed in-place update leaves the tensor as it was.
        Tensor t = Tensor.ones(3);
        iae(() -> t.addInPlace(Tensor.zeros(4)), "addInPlace");
        exact(t, shape(3), 1, 1, 1);
        assertEquals(0, t.version());
    }

    @Test
    void fillAndZero() {
        Tensor t = Tensor.arange(6).reshape(2, 3);
        t.t().narrow(0, 1, 2).fill(9f);
        exact(t, shape(2, 3), 0, 9, 9, 3, 9, 9);
        assertTrue(t.zero() == t);
        exact(t, shape(2, 3), 0, 0, 0, 0, 0, 0);
        Tensor s = Tensor.scalar(1f);
        s.fill(Float.NaN);
        assertTrue(Float.isNaN(s.item()));
        Tensor.zeros(0, 3).fill(1f);
    }
    /** Equal as floats (NaN to NaN); pow within 2 ulp, as its SIMD path is not Math.pow. */
    private static void same(Bin bin, double expected, float got, String where) {
        float e = f(expected);
        if (Float.isNaN(e) || Float.isNaN(got)) {
            assertEquals(Float.isNaN(e), Float.isNaN(got), bin.name() + where + ": expected " + e + ", got " + got);
            return;
        }
        assertEquals(e, got, bin.name().equals("pow") ? 2 * Math.ulp(e) : 0f, bin.name() + where);
    }

    /**
     * Dense operands long enough to be split over the pool (at least 2^17 elements), starting at an offset into
     * their storage: every element of the result, including those at the split points, is the float operation
     * of the matching inputs.
     */
    @Test
    void longDenseOperandsSplitOverThreadsAgreeElementByElement() {
        int old = dev.frelon.core.kernel.Parallel.threads();
        try {
            dev.frelon.core.kernel.Parallel.setThreads(2);
            int n = 300_001;
            // Rows 1 and 2 of a [3, n] tensor: contiguous, starting n floats into the storage.
            Tensor a = Tensor.randn(new Rng(21), 3, n).narrow(0, 1, 2);
            Tensor b = Tensor.randn(new Rng(22), 2, n);
            assertTrue(a.isContiguous());
            float[] av = a.toArray(), bv = b.toArray();
            for (Bin bin : BINARY) {
                float[] got = bin.op().apply(a, b).toArray(), scal = bin.scalarOp().apply(a, 0.75f).toArray();
                float[] left = bin.op().apply(Tensor.scalar(0.75f), b).toArray();
                for (int i = 0; i < av.length; i++) {
                    same(bin, bin.ref().applyAsDouble(av[i], bv[i]), got[i], " at " + i);
                    same(bin, bin.ref().applyAsDouble(av[i], 0.75f), scal[i], " scalar at " + i);
                    same(bin, bin.ref().applyAsDouble(0.75f, bv[i]), left[i], " left at " + i);
                }
            }
            float[] relu = a.relu().toArray(), neg = a.neg().toArray();
            for (int i = 0; i < av.length; i++) {
                assertEquals(Math.max(av[i], 0f), relu[i], 0f, "relu at " + i);
                assertEquals(-av[i], neg[i], 0f, "neg at " + i);
            }
        } finally {
            dev.frelon.core.kernel.Parallel.setThreads(old);
        }
    }
    /** The ReLU gradient in one pass, by hand: kept where the output is positive (or NaN), zero elsewhere. */
    @Test
    void reluBackwardKeepsTheGradientWhereTheOutputIsPositive() {
        Tensor g = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = Tensor.of(new float[] {0.5f, 0f, -0f, 7f, Float.NaN, 0f}, 2, 3);
        assertArrayEquals(new float[] {1, 0, 0, 4, 5, 0}, BackwardKernels.reluBackward(g, y).toArray());
        // Broadcast output [3] against a [2, 3] gradient; a transposed gradient.
        Tensor row = Tensor.of(new float[] {1f, 0f, 2f}, 3);
        assertArrayEquals(new float[] {1, 0, 3, 4, 0, 6}, BackwardKernels.reluBackward(g, row).toArray());
        assertArrayEquals(new float[] {1, 0, 0, 5, 3, 0},
                BackwardKernels.reluBackward(g.t(), Tensor.of(new float[] {1, 0, 0, 1, 1, 0}, 3, 2)).toArray());
        iae(() -> BackwardKernels.reluBackward(g, Tensor.zeros(4)), "reluBackward");
    }
}
