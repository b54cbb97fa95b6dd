package dev.frelon.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.function.BinaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dtypes of {@link Tensor} against PyTorch: the promotion table ({@link DType#promote}, {@link Tensor#resultType}
 * with its 0-d rule) and the dtype and values of add, mul, div and eq for every pair of dtypes; exact int64
 * arithmetic beyond 2^53 and two's-complement wrapping, integer powers, true division, mixed comparisons, bool
 * logic, sums, arg- and plain max/min with ties and NaN; float64 precision, its transcendental functions (ulps
 * stated per function), softmax family, reductions, and matmul against a BigDecimal-exact product; conversions
 * between all 25 pairs of dtypes with Frelon's documented refusals, factories, element access, equality and
 * printing; indexing, joining, where, maskedFill, triangles and views on integer and bool tensors; the exact
 * messages of the refusals.
 *
 * <p>Every expected value named in capitals (the block at the end of the class) was computed by
 * {@code src/test/resources/dev/frelon/core/dtype_cases.py} with PyTorch 1.13 and pasted here, so this test needs no
 * Python. Where PyTorch's answer is undefined (a NaN converted to an integer) or differs on purpose, the test
 * asserts Frelon's documented behaviour and a comment gives PyTorch's. {@code inPlaceWritesAllCloseAndBoolUnaryAgree}
 * holds PyTorch's answers for the differences this suite found first, since fixed.
 */
class DTypeTest {

    private static final DType F32 = DType.FLOAT32;
    private static final DType F64 = DType.FLOAT64;
    private static final DType I64 = DType.INT64;
    private static final DType I32 = DType.INT32;
    private static final DType B = DType.BOOL;
    /** The order of every generated table: FLOAT32, FLOAT64, INT64, INT32, BOOL. */
    private static final DType[] ALL = {F32, F64, I64, I32, B};
    private static final double NaN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final long TWO_62 = 1L << 62;
    private static final long TWO_53 = 1L << 53;

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * A dense tensor of {@code dtype} built straight from a generated array (double[] for the floats, long[] for the
     * integers, boolean[] for bool), without going through a conversion under test.
     */
    private static Tensor typed(DType dtype, Object values, int... shape) {
        Tensor t = switch (dtype) {
            case FLOAT32 -> {
                double[] v = (double[]) values;
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                    assertTrue(Double.isNaN(v[i]) || f[i] == v[i], "not a float32 value: " + v[i]);
                }
                yield Tensor.of(f);
            }
            case FLOAT64 -> Tensor.of((double[]) values);
            case INT64 -> Tensor.of((long[]) values);
            case INT32 -> {
                long[] v = (long[]) values;
                int[] w = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    w[i] = Math.toIntExact(v[i]);
                }
                yield Tensor.of(w);
            }
            case BOOL -> Tensor.of((boolean[]) values);
        };
        return shape.length == 0 ? t : t.reshape(shape);
    }

    /** {@link #typed} from doubles, which must be exact in {@code dtype} (bool: nonzero is true). */
    private static Tensor make(DType dtype, double... v) {
        return switch (dtype) {
            case FLOAT32, FLOAT64 -> typed(dtype, v);
            case INT64, INT32 -> {
                long[] l = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    l[i] = (long) v[i];
                    assertEquals(v[i], l[i], 0.0, "not an integer");
                }
                yield typed(dtype, l);
            }
            case BOOL -> {
                boolean[] b = new boolean[v.length];
                for (int i = 0; i < v.length; i++) {
                    b[i] = v[i] != 0;
                }
                yield typed(dtype, b);
            }
        };
    }

    /** Asserts the dtype and the exact values (floats bit for bit, NaN equal to NaN, -0.0 unequal to 0.0). */
    private static void expect(DType dtype, Object expected, Tensor t) {
        assertEquals(dtype, t.dtype(), () -> "dtype of " + t);
        if (expected instanceof double[] e) {
            double[] g = t.toDoubleArray();
            assertEquals(e.length, g.length, () -> "element count of " + t);
            for (int i = 0; i < e.length; i++) {
                if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(g[i])) {
                    fail("element " + i + ": expected " + e[i] + " but got " + g[i] + " in " + t);
                }
            }
        } else if (expected instanceof long[] e) {
            assertArrayEquals(e, t.toLongArray(), () -> "values of " + t);
        } else {
            assertArrayEquals((boolean[]) expected, t.toBooleanArray(), () -> "values of " + t);
        }
    }

    private static void expect(DType dtype, int[] shape, Object expected, Tensor t) {
        assertArrayEquals(shape, t.shape(), () -> "shape of " + t);
        expect(dtype, expected, t);
    }

    /** The distance in units in the last place between two doubles of the same sign (0 for NaN and NaN). */
    private static long ulps(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return 0;
        }
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Long.MAX_VALUE;
        }
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits < 0 ? Long.MIN_VALUE - bits : bits;
    }

    /** Asserts a float64 result within {@code maxUlps} of PyTorch's float64 values, and returns the largest distance. */
    private static long withinUlps(String what, double[] expected, Tensor t, long maxUlps) {
        assertEquals(F64, t.dtype(), what + " dtype");
        double[] g = t.toDoubleArray();
        assertEquals(expected.length, g.length, what + " element count");
        long worst = 0;
        for (int i = 0; i < g.length; i++) {
            long u = ulps(expected[i], g[i]);
            if (u > maxUlps) {
                fail(what + " element " + i + ": expected " + expected[i] + " but got " + g[i] + " (" + u + " ulps)");
            }
            worst = Math.max(worst, u);
        }
        return worst;
    }

    /** Expects an IllegalArgumentException (exactly that class) with exactly this message. */
    private static void refused(String message, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertEquals(IllegalArgumentException.class, x.getClass(), "exception type");
        assertEquals(message, x.getMessage());
    }

    /** Expects an IllegalArgumentException whose message contains each fragment (the op and the dtypes). */
    private static void refusedNaming(Executable e, String... fragments) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(x.getMessage().contains(f), () -> "\"" + x.getMessage() + "\" should name \"" + f + "\"");
        }
    }

    // ---------------------------------------------------------------------------------------------- 1. promotion

    @Test
    void dtypeOrderAndProperties() {
        assertArrayEquals(ALL, DType.values(), "the generated tables use this order");
        assertEquals("float32 float64 int64 int32 bool", String.join(" ",
                Arrays.stream(ALL).map(DType::toString).toList()));
        assertArrayEquals(new int[] {4, 8, 8, 4, 1},
                Arrays.stream(ALL).mapToInt(DType::itemSize).toArray());
        for (DType d : ALL) {
            assertEquals(d == F32 || d == F64, d.isFloatingPoint(), d.toString());
            assertEquals(d == I64 || d == I32, d.isIntegral(), d.toString());
        }
    }

    @Test
    void promoteMatchesTorchPromoteTypesForAll25Pairs() {
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(PROMOTE[i][j], DType.promote(ALL[i], ALL[j]), ALL[i] + " with " + ALL[j]);
            }
        }
    }

    @Test
    void resultTypeMatchesTorchResultTypeWithThe0dRule() {
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                DType a = ALL[i], b = ALL[j];
                String pair = a + " with " + b;
                assertEquals(RESULT_DIM_DIM[i][j], Tensor.resultType(Tensor.ones(a, 2), Tensor.ones(b, 2)), pair);
                assertEquals(RESULT_DIM_0D[i][j], Tensor.resultType(Tensor.ones(a, 2), Tensor.ones(b)), pair + " (0-d)");
                assertEquals(RESULT_0D_DIM[i][j], Tensor.resultType(Tensor.ones(a), Tensor.ones(b, 2)), "0-d " + pair);
                assertEquals(RESULT_0D_0D[i][j], Tensor.resultType(Tensor.ones(a), Tensor.ones(b)), "0-d " + pair + " 0-d");
            }
        }
        // A [1]-shaped tensor is dimensioned: only rank 0 gets the rule.
        assertEquals(F64, Tensor.resultType(Tensor.ones(F32, 2), Tensor.ones(F64, 1)));
        assertEquals(F32, Tensor.resultType(Tensor.ones(F32, 2), Tensor.ones(F64)));
    }

    @Test
    void addMulDivEqGiveTorchsDtypeAndValuesForEveryPair() {
        record Op(String name, BinaryOperator<Tensor> f, DType[][] dtypes, double[][][] values, DType[][] dtypes0d) {
        }
        Op[] ops = {
                new Op("add", Tensor::add, ADD_DTYPE, ADD_VALUES, ADD_DTYPE_DIM_0D),
                new Op("mul", Tensor::mul, MUL_DTYPE, MUL_VALUES, MUL_DTYPE_DIM_0D),
                new Op("div", Tensor::div, DIV_DTYPE, DIV_VALUES, DIV_DTYPE_DIM_0D),
                new Op("eq", Tensor::eq, EQ_DTYPE, EQ_VALUES, EQ_DTYPE_DIM_0D)};
        for (Op op : ops) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    Tensor a = make(ALL[i], OPERAND_A[i]), b = make(ALL[j], OPERAND_B[j]);
                    Tensor r = op.f.apply(a, b);
                    assertEquals(op.dtypes[i][j], r.dtype(), op.name + "(" + ALL[i] + ", " + ALL[j] + ")");
                    double[] g = r.toDoubleArray(), e = op.values[i][j];
                    for (int k = 0; k < e.length; k++) {
                        assertEquals(Double.doubleToLongBits(e[k]), Double.doubleToLongBits(g[k]),
                                op.name + "(" + ALL[i] + ", " + ALL[j] + ") element " + k + ": expected " + e[k]
                                        + " got " + g[k]);
                    }
                    Tensor b0 = make(ALL[j], OPERAND_B[j][0]).reshape();
                    assertEquals(op.dtypes0d[i][j], op.f.apply(a, b0).dtype(),
                            op.name + "(" + ALL[i] + ", 0-d " + ALL[j] + ")");
                }
            }
        }
        // torch: "Subtraction, the `-` operator, with two bool tensors is not supported"; "pow" not implemented for 'Bool'.
        Tensor t = Tensor.of(new boolean[] {true, false});
        refusedNaming(() -> t.sub(t), "sub", "bool");
        refusedNaming(() -> t.pow(t), "pow", "bool");
        refusedNaming(() -> t.sub(Tensor.scalar(1, B)), "sub", "bool");
        // Only bool with bool: bool - int64 is int64 arithmetic, as in PyTorch.
        expect(I64, new long[] {0, -1}, t.sub(Tensor.of(new long[] {1, 1})));
    }

    @Test
    void javaScalarsActLikePythonScalars() {
        Tensor i64 = Tensor.of(new long[] {7, -7});
        // int64 tensor with a Python float: float32; with a Python int: int64.
        expect(F32, new double[] {7.5, -6.5}, i64.add(0.5));
        expect(F32, new double[] {3.5, -3.5}, i64.div(2f));
        expect(I64, new long[] {TWO_62 + 7, TWO_62 - 7}, i64.add(TWO_62));
        expect(I64, new long[] {21, -21}, i64.mul(3L));
        expect(I32, new long[] {8, -6}, Tensor.of(new int[] {7, -7}).add(1L));
        expect(I64, new long[] {2, 1}, Tensor.of(new boolean[] {true, false}).add(1L));
        // A float64 tensor keeps float64 with a float32 0-d tensor or a Java float.
        Tensor f64 = Tensor.of(new double[] {0.1});
        expect(F64, new double[] {0.1 + 0.5}, f64.add(0.5f));
        expect(F64, new double[] {0.1 * 0.1}, f64.mul(0.1));
        expect(F32, new double[] {0.1f + 0.1f}, Tensor.of(new float[] {0.1f}).add(Tensor.scalar(0.1, F64)));
        expect(B, new boolean[] {true, false}, i64.gt(0L));
    }

    // ---------------------------------------------------------------------------------------------- 2. values

    @Test
    void int64ArithmeticIsExactBeyond2To53AndWrapsLikePyTorch() {
        expect(I64, I64_ADD_BEYOND_2_53, Tensor.of(new long[] {TWO_62 + 1, TWO_53 + 1}).add(Tensor.of(new long[] {1, 2})));
        expect(I64, new long[] {TWO_62 + 2}, Tensor.of(new long[] {TWO_62 + 1}).add(1L));
        expect(I64, I64_ADD_WRAPS, Tensor.of(new long[] {Long.MAX_VALUE}).add(Tensor.of(new long[] {1})));
        expect(I64, I64_SUB_WRAPS, Tensor.of(new long[] {Long.MIN_VALUE}).sub(Tensor.of(new long[] {1})));
        expect(I64, I64_MUL_WRAPS, Tensor.of(new long[] {TWO_62, 3037000500L}).mul(Tensor.of(new long[] {4, 3037000500L})));
        expect(I32, I32_ADD_WRAPS,
                Tensor.of(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE}).add(Tensor.of(new int[] {1, -1})));
        expect(I32, I32_MUL_WRAPS, Tensor.of(new int[] {46341, 65536}).mul(Tensor.of(new int[] {46341, 65536})));
        // Integer unary operations stay integral and wrap as well.
        expect(I64, new long[] {Long.MIN_VALUE, -5, 5}, Tensor.of(new long[] {Long.MIN_VALUE, 5, -5}).neg());
        expect(I32, new long[] {Integer.MIN_VALUE, 5}, Tensor.of(new int[] {Integer.MIN_VALUE, -5}).abs());
        expect(I32, new long[] {-2147479015}, Tensor.of(new int[] {46341}).square());
        expect(I64, new long[] {-1, 0, 1}, Tensor.of(new long[] {-TWO_62, 0, 3}).sign());
        expect(I64, new long[] {0, 0, 3}, Tensor.of(new long[] {-TWO_62, 0, 3}).relu());
        Tensor p = Tensor.of(new long[] {TWO_62 + 1, -3}), q = Tensor.of(new long[] {TWO_62, -4});
        expect(I64, new long[] {TWO_62 + 1, -3}, p.maximum(q));
        expect(I64, new long[] {TWO_62, -4}, p.minimum(q));
        // exp and friends of integers compute in float32, as in PyTorch.
        expect(F32, new double[] {(float) Math.sqrt(2)}, Tensor.of(new long[] {2}).sqrt());
    }

    @Test
    void integerPowers() {
        expect(I64, I64_POW, Tensor.of(new long[] {2, 3, -2, 3, 7, 0}).pow(Tensor.of(new long[] {62, 3, 3, 40, 0, 0})));
        expect(I32, I32_POW, Tensor.of(new int[] {3, -2}).pow(Tensor.of(new int[] {20, 31})));
        // A float exponent makes the result float32 (torch: int64 tensor ** 2.0 is float32).
        expect(F32, new double[] {9, 0.25}, Tensor.of(new long[] {3, 2}).pow(Tensor.of(new float[] {2, -2})));
        expect(F32, new double[] {9}, Tensor.of(new long[] {3}).pow(2.0));
        // A negative integer exponent is refused. PyTorch refuses it for a Python int exponent ("Integers to
        // negative integer powers are not allowed.") but gives I64_POW_NEGATIVE_TORCH = [0, 1, -1, 0] for
        // [3, 1, -1, 2] ** [-1, -1, -1, -2] as tensors.
        refused("pow: integers to negative integer powers are not allowed (3 ^ -1 in an integer dtype); convert to a"
                + " floating dtype first",
                () -> Tensor.of(new long[] {3, 1, -1, 2}).pow(Tensor.of(new long[] {-1, -1, -1, -2})));
        assertArrayEquals(new long[] {0, 1, -1, 0}, (long[]) I64_POW_NEGATIVE_TORCH);
    }

    @Test
    void integerDivisionIsTrueDivisionInFloat32() {
        expect(F32, INT_TRUE_DIV, Tensor.of(new long[] {7, -7, 1, 7, -7, 0}).div(Tensor.of(new long[] {2, 2, 3, 0, 0, 0})));
        expect(F32, I32_TRUE_DIV, Tensor.of(new int[] {7, -9}).div(Tensor.of(new int[] {2, 4})));
        expect(F32, new double[] {0.5, 0}, Tensor.of(new boolean[] {true, false}).div(Tensor.of(new long[] {2, 2})));
    }

    @Test
    void comparisonsPromoteThenGiveBool() {
        Tensor i = Tensor.of(new long[] {16777217, 3, -1, (1L << 40) + 1});
        Tensor f = Tensor.of(new float[] {16777216f, 3.5f, -1f, 0x1p40f});
        // int64 against float32 compares in float32, so 2^24 + 1 equals 2^24 as in PyTorch.
        expect(B, CMP_I64_F32_EQ, i.eq(f));
        expect(B, CMP_I64_F32_NE, i.ne(f));
        expect(B, CMP_I64_F32_LT, i.lt(f));
        expect(B, CMP_I64_F32_LE, i.le(f));
        expect(B, CMP_I64_F32_GT, i.gt(f));
        expect(B, CMP_I64_F32_GE, i.ge(f));
        expect(B, CMP_I64_F64_EQ, Tensor.of(new long[] {TWO_53 + 1}).eq(Tensor.of(new double[] {0x1p53})));
        expect(B, CMP_I64_I64_EQ, Tensor.of(new long[] {TWO_53 + 1}).eq(Tensor.of(new long[] {TWO_53})));
        expect(B, CMP_I64_SCALAR_EQ, Tensor.of(new long[] {16777217, 16777216}).eq(16777216.0));
        expect(B, new boolean[] {false, true}, Tensor.of(new long[] {16777217, 16777216}).eq(16777216L));
        expect(B, new boolean[] {true, false}, Tensor.of(new double[] {NaN, 1}).ne(Tensor.of(new long[] {1, 1})));
    }

    @Test
    void boolLogic() {
        Tensor a = Tensor.of(new boolean[] {true, true, false, false});
        Tensor b = Tensor.of(new boolean[] {true, false, true, false});
        expect(B, LOGICAL_AND, a.logicalAnd(b));
        expect(B, LOGICAL_OR, a.logicalOr(b));
        expect(B, LOGICAL_XOR, a.logicalXor(b));
        expect(B, LOGICAL_NOT, a.logicalNot());
        // Any dtype: nonzero is true, NaN included.
        Tensor f = Tensor.of(new float[] {0f, 2f, Float.NaN, -0f, 0.5f});
        Tensor i = Tensor.of(new long[] {1, 0, 3, 5, 0});
        expect(B, LOGICAL_AND_MIXED, f.logicalAnd(i));
        expect(B, LOGICAL_OR_MIXED, f.logicalOr(i));
        expect(B, LOGICAL_XOR_MIXED, f.logicalXor(i));
        expect(B, LOGICAL_NOT_F32, f.logicalNot());
        // bool + bool is or and bool * bool is and, as in PyTorch.
        expect(B, LOGICAL_OR, a.add(b));
        expect(B, LOGICAL_AND, a.mul(b));
    }

    @Test
    void sumsOfIntegersAndBoolsAreInt64() {
        expect(I64, BOOL_SUM, Tensor.of(new boolean[] {true, false, true, true}).sum());
        expect(I64, shape(2), BOOL_SUM_DIM1, Tensor.of(new boolean[] {true, false, true, false, false, true}, 2, 3).sum(1));
        expect(I64, I32_SUM, Tensor.of(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 5}).sum());
        expect(I64, I64_SUM_EXACT, Tensor.of(new long[] {TWO_62, 1L << 61, 3}).sum());
        expect(I64, I64_SUM_WRAPS, Tensor.of(new long[] {TWO_62, TWO_62}).sum());
        expect(I64, new long[] {0}, Tensor.zeros(B, 0).sum());
    }

    @Test
    void argmaxArgminFirstOnTiesAndNaNWins() {
        double[] ties = {1, 3, 3, 0, 0}, nan = {1, NaN, 3, NaN, -5};
        expect(I64, shape(), ARGMAX_F32, make(F32, ties).argmax());
        expect(I64, shape(), ARGMIN_F32, make(F32, ties).argmin());
        expect(I64, ARGMAX_NAN_F32, make(F32, nan).argmax());
        expect(I64, ARGMIN_NAN_F32, make(F32, nan).argmin());
        expect(F32, MAX_NAN_F32, make(F32, nan).max());
        expect(I64, ARGMAX_F64, make(F64, ties).argmax());
        expect(I64, ARGMIN_F64, make(F64, ties).argmin());
        expect(I64, ARGMAX_NAN_F64, make(F64, nan).argmax());
        expect(I64, ARGMIN_NAN_F64, make(F64, nan).argmin());
        expect(F64, MAX_NAN_F64, make(F64, nan).max());
        expect(F64, new double[] {NaN}, make(F64, nan).min());
        Tensor m2 = Tensor.of(new double[] {1, 5, 5, NaN, 0, NaN}, 2, 3);
        expect(I64, shape(2), ARGMAX_F64_DIM1, m2.argmax(1, false));
        expect(I64, shape(2), ARGMIN_F64_DIM1, m2.argmin(1, false));
        expect(I64, shape(3), ARGMAX_F64_DIM0, m2.argmax(0, false));
        expect(I64, shape(1, 3), ARGMAX_F64_DIM0, m2.argmax(0, true));
        long[] ints = {5, -2, TWO_62 + 1, TWO_62 + 1, -2, TWO_62};
        expect(I64, ARGMAX_I64, Tensor.of(ints).argmax());
        expect(I64, ARGMIN_I64, Tensor.of(ints).argmin());
        // Beyond 2^53 two int64 values differ although their doubles are equal.
        expect(I64, new long[] {1}, Tensor.of(new long[] {TWO_53, TWO_53 + 1}).argmax());
        expect(I64, new long[] {0}, Tensor.of(new int[] {Integer.MAX_VALUE, 7}).argmax());
        // PyTorch 1.13 refuses argmax/argmin on bool ("argmax_cpu" not implemented for 'Bool'); Frelon answers
        // as for 0/1, first index on ties.
        expect(I64, new long[] {1}, Tensor.of(new boolean[] {false, true, true}).argmax());
        expect(I64, new long[] {0}, Tensor.of(new boolean[] {false, true, true}).argmin());
        expect(I64, new long[] {1}, Tensor.of(new boolean[] {true, false, false}).argmin());
    }

    @Test
    void maxMinOfInt64AndBool() {
        long[] ints = {5, -2, TWO_62 + 1, TWO_62 + 1, -2, TWO_62};
        expect(I64, shape(), MAX_I64, Tensor.of(ints).max());
        expect(I64, shape(), MIN_I64, Tensor.of(ints).min());
        Tensor m = Tensor.of(new long[] {5, TWO_62 + 1, TWO_62 + 1, -7, -7, TWO_62}, 2, 3);
        IndexedValues<Tensor> max = m.max(1);
        expect(I64, MAX_I64_DIM1_VALUES, max.values());
        expect(I64, MAX_I64_DIM1_INDICES, max.indices());
        IndexedValues<Tensor> min = m.min(1);
        expect(I64, MIN_I64_DIM1_VALUES, min.values());
        expect(I64, MIN_I64_DIM1_INDICES, min.indices());
        expect(I32, new long[] {Integer.MIN_VALUE}, Tensor.of(new int[] {3, Integer.MIN_VALUE}).min());
        expect(B, MAX_BOOL, Tensor.of(new boolean[] {false, true, false}).max());
        expect(B, MIN_BOOL, Tensor.of(new boolean[] {true, false, true}).min());
        expect(B, shape(2), MAX_BOOL_DIM1, Tensor.of(new boolean[] {false, true, false, false}, 2, 2).amax(1, false));
    }

    @Test
    void float64KeepsDigitsThatFloat32Loses() {
        expect(F64, F64_ONE_PLUS_TINY, Tensor.of(new double[] {1}).add(1e-12).sub(1.0));
        expect(F32, F32_ONE_PLUS_TINY, Tensor.of(new float[] {1}).add(1e-12).sub(1.0));
        expect(F64, F64_THIRD, Tensor.of(new double[] {1}).div(3.0));
        expect(F32, F32_THIRD, Tensor.of(new float[] {1}).div(3.0));
        expect(F64, F64_TENTHS_SUM, Tensor.full(0.1, F64, 10).sum());
        // PyTorch's float32 sum is F32_TENTHS_SUM = 1.0000001; Frelon adds in another order and gets 1.0: one
        // float32 ulp apart, where float64 has both exactly 1.
        assertEquals(((double[]) F32_TENTHS_SUM)[0], Tensor.full(0.1f, 10).sum().item(), Math.ulp(1f));
        // Tensor.of(double[]) keeps every digit.
        assertEquals(0.1, Tensor.of(new double[] {0.1}).itemDouble(), 0.0);
    }

    /**
     * Measured against PyTorch 1.13's float64 CPU kernels: sqrt, log and tanh are bit for bit the same on these
     * inputs; exp and sigmoid are within 1 ulp (StrictMath.exp(1) is 2.7182818284590455, one ulp above e; sigmoid
     * is computed as exp(x)/(1+exp(x)) for x &lt; 0, so sigmoid(-745) is the subnormal 4.9e-324 where PyTorch's
     * 1/(1+exp(745)) gives 0).
     */
    @Test
    void float64TranscendentalsMatchPyTorch() {
        Tensor x = Tensor.of(UNARY_X);
        assertEquals(0, withinUlps("sqrt", (double[]) F64_SQRT, x.abs().sqrt(), 0));
        assertEquals(0, withinUlps("tanh", (double[]) F64_TANH, x.tanh(), 0));
        assertEquals(0, withinUlps("log", (double[]) F64_LOG, Tensor.of(LOG_X).log(), 0));
        assertEquals(1, withinUlps("exp", (double[]) F64_EXP, x.exp(), 1));
        assertEquals(1, withinUlps("sigmoid", (double[]) F64_SIGMOID, x.sigmoid(), 1));
        assertEquals(4.9e-324, x.sigmoid().getDouble(0), 0.0);
        assertEquals(0.0, ((double[]) F64_SIGMOID)[0], 0.0);
        // The same functions on a float32 tensor stay float32.
        assertEquals(F32, Tensor.of(new float[] {1}).exp().dtype());
    }

    /** Softmax, log-softmax and log-sum-exp in float64: within 1 ulp of PyTorch's float64 results on every element. */
    @Test
    void float64SoftmaxFamilyMatchesPyTorch() {
        Tensor x = Tensor.of(SOFTMAX_X, 4, 4);
        withinUlps("softmax(1)", (double[]) F64_SOFTMAX_1, x.softmax(1), 1);
        withinUlps("softmax(0)", (double[]) F64_SOFTMAX_0, x.softmax(0), 1);
        withinUlps("logSoftmax(1)", (double[]) F64_LOG_SOFTMAX_1, x.logSoftmax(1), 1);
        withinUlps("logSumExp(1)", (double[]) F64_LOGSUMEXP_1, x.logSumExp(1, false), 1);
        withinUlps("logSumExp(0)", (double[]) F64_LOGSUMEXP_0, x.logSumExp(0, false), 1);
        assertArrayEquals(new int[] {4, 1}, x.logSumExp(1, true).shape());
        // Each softmax row sums to 1 within float64 rounding, far below what float32 could resolve.
        double[] rowSums = x.softmax(1).sum(1).toDoubleArray();
        for (double s : rowSums) {
            assertEquals(1.0, s, 4e-16);
        }
    }

    /**
     * Sum, mean and variance in float64 against PyTorch: the sums add in another order than PyTorch's, so within 2
     * ulps (measured: identical except two column means, 1 ulp).
     */
    @Test
    void float64ReductionsMatchPyTorch() {
        Tensor x = Tensor.of(REDUCE_X);
        withinUlps("sum", (double[]) F64_SUM, x.sum(), 2);
        withinUlps("mean", (double[]) F64_MEAN, x.mean(), 2);
        withinUlps("var", (double[]) F64_VAR, x.var(), 2);
        withinUlps("var(correction 0)", (double[]) F64_VAR_POP, x.var(null, 0, false), 2);
        withinUlps("std", new double[] {Math.sqrt(((double[]) F64_VAR)[0])}, x.std(), 2);
        Tensor m = x.narrow(0, 0, 36).reshape(6, 6);
        withinUlps("sum(1)", (double[]) F64_SUM_ROWS, m.sum(1), 2);
        withinUlps("mean(0)", (double[]) F64_MEAN_COLS, m.mean(0), 2);
        withinUlps("mean(0) of the transposed view", (double[]) F64_MEAN_COLS, m.t().contiguous().t().mean(0), 2);
    }

    // ------------------------------------------------------------------------ float64 matmul, BigDecimal-exact

    /** Deterministic float64 values of varied sign and magnitude. */
    private static Tensor f64(int seed, int... shape) {
        double[] v = new double[Check.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = StrictMath.sin(seed * 1000.0 + i * 0.7) * StrictMath.exp(i % 5 - 2);
        }
        return Tensor.of(v, shape);
    }

    /**
     * Asserts {@code got = a @ b} (both at least 2-d, batch dims broadcast, any layout) within the error bound of a
     * k-term float64 dot product, {@code |got - exact| <= k·2^-53·Σ|a·b|}, against the exact product computed
     * with BigDecimal; returns the largest error relative to that bound.
     */
    private static double assertNearExact(Tensor a, Tensor b, Tensor got) {
        int[] out = got.shape();
        int r = out.length, k = a.size(-1);
        double worst = 0;
        for (int flat = 0; flat < got.numel(); flat++) {
            int[] idx = Check.unravel(flat, out);
            BigDecimal exact = BigDecimal.ZERO;
            double absSum = 0;
            for (int p = 0; p < k; p++) {
                double x = a.getDouble(operandIndex(a, idx, r, idx[r - 2], p));
                double y = b.getDouble(operandIndex(b, idx, r, p, idx[r - 1]));
                exact = exact.add(new BigDecimal(x).multiply(new BigDecimal(y)));
                absSum += Math.abs(x * y);
            }
            double g = got.getDouble(idx);
            double bound = k * 0x1p-53 * absSum * (1 + 1e-12) + Double.MIN_VALUE;
            BigDecimal err = new BigDecimal(g).subtract(exact).abs();
            if (err.compareTo(new BigDecimal(bound)) > 0) {
                fail("element " + Arrays.toString(idx) + ": got " + g + ", exact " + exact + " (error " + err
                        + " > bound " + bound + ")");
            }
            worst = Math.max(worst, err.doubleValue() / bound);
        }
        return worst;
    }

    /** The index into an operand of rank >= 2 for output index {@code idx} (rank r) and matrix position (row, col). */
    private static int[] operandIndex(Tensor t, int[] idx, int r, int row, int col) {
        int rank = t.dim();
        int[] i = new int[rank];
        for (int d = 0; d < rank - 2; d++) {
            i[d] = t.size(d) == 1 ? 0 : idx[d + r - rank];
        }
        i[rank - 2] = row;
        i[rank - 1] = col;
        return i;
    }

    @Test
    void float64MatmulIsWithinTheDotProductBoundOfTheExactProduct() {
        Tensor[][] cases = {
                {f64(1, 3, 4), f64(2, 4, 5)},
                {f64(3, 2, 3, 4), f64(4, 2, 4, 5)},
                {f64(5, 2, 1, 3, 4), f64(6, 3, 4, 2)},
                {f64(7, 4, 3).mT(), f64(8, 5, 4).mT()},
                {f64(9, 2, 4, 3).mT(), f64(10, 2, 5, 4).mT()},
                {f64(11, 5, 4).narrow(0, 1, 3), f64(12, 4, 6).narrow(1, 2, 3)},
                {f64(13, 2, 257), f64(14, 257, 3)},
                {f64(15, 1, 4).expand(3, 4), f64(16, 4, 2)},
        };
        int[][] shapes = {{3, 5}, {2, 3, 5}, {2, 3, 3, 2}, {3, 5}, {2, 3, 5}, {3, 3}, {2, 3}, {3, 2}};
        for (int c = 0; c < cases.length; c++) {
            Tensor a = cases[c][0], b = cases[c][1];
            Tensor p = a.matmul(b);
            assertEquals(F64, p.dtype());
            assertArrayEquals(shapes[c], p.shape(), "case " + c);
            assertNearExact(a, b, p);
            // The same product from dense copies has the same bits: layout does not change the order of additions.
            assertEquals(p, a.contiguous().matmul(b.contiguous()), "case " + c);
        }
        // 1-d operands: the same values as the matrix forms.
        Tensor v = f64(17, 4), m = f64(18, 4, 5), n = f64(19, 3, 4);
        assertEquals(v.unsqueeze(0).matmul(m).squeeze(0), v.matmul(m));
        assertEquals(n.matmul(v.unsqueeze(1)).squeeze(1), n.matmul(v));
        Tensor dot = v.matmul(v);
        assertArrayEquals(new int[0], dot.shape());
        assertNearExact(v.unsqueeze(0), v.unsqueeze(1), dot.reshape(1, 1));
        // Integer-valued operands whose partial sums are all representable: exactly the exact product.
        Tensor ia = Tensor.of(new long[] {1L << 40, 3, -7, 5, 1 << 20, -(1L << 30)}, 2, 3).to(F64);
        Tensor ib = Tensor.of(new long[] {1 << 11, -1, 2, 9, 1 << 12, 1 << 21}, 3, 2).to(F64);
        expect(F64, new double[] {0x1p51 + 6 - 7 * 4096, -0x1p40 + 27 + -7 * 0x1p21,
                5 * 2048 + 2 * 0x1p20 - 0x1p42, -5 + 9 * 0x1p20 - 0x1p51}, ia.matmul(ib));
    }

    @Test
    void float32ProductMissesTheFloat64Bound() {
        Tensor a = f64(13, 2, 257), b = f64(14, 257, 3);
        // Inputs rounded to float32 first, so that both products have exactly the same operands.
        Tensor a32 = a.to(F32), b32 = b.to(F32);
        double f64worst = assertNearExact(a32.to(F64), b32.to(F64), a32.to(F64).matmul(b32.to(F64)));
        assertTrue(f64worst <= 1, "float64 within the bound");
        Tensor p32 = a32.matmul(b32).to(F64);
        boolean missed = false;
        try {
            assertNearExact(a32.to(F64), b32.to(F64), p32);
        } catch (AssertionError expected) {
            missed = true;
        }
        assertTrue(missed, "a float32 product should not meet the float64 error bound");
    }

    // ---------------------------------------------------------------------------------------------- 3. conversions

    @Test
    void conversionsBetweenAll25PairsMatchPyTorch() {
        for (int i = 0; i < 5; i++) {
            Tensor src = typed(ALL[i], CONVERT_SRC[i]);
            for (int j = 0; j < 5; j++) {
                Tensor out = src.to(ALL[j]);
                expect(ALL[j], CONVERT[i][j], out);
                if (i == j) {
                    assertSame(src, out, "to(own dtype) is the tensor itself");
                } else {
                    assertFalse(out.sharesStorageWith(src));
                }
            }
        }
        // Strided views convert too.
        Tensor t = Tensor.of(new double[] {-2.7, 9, 2.7, 9, 0.5, 9}, 3, 2).select(1, 0);
        expect(I64, new long[] {-2, 2, 0}, t.to(I64));
        expect(I32, new long[] {-2, 2, 0}, t.to(I32));
        expect(B, new boolean[] {true, true, true}, t.to(B));
    }

    @Test
    void wideValuesConvertAsPyTorchWhereDefined() {
        Tensor wide = Tensor.of(WIDE_I64);
        // int64 to float32 rounds once, to nearest even: 2^24 + 1 is 2^24, 2^24 + 3 is 2^24 + 4, and
        // 2^60 + 2^36 + 1 is 2^60 + 2^37 (rounding through double first would give 2^60).
        expect(F32, WIDE_I64_TO_F32, wide.to(F32));
        assertEquals(0x1p60 + 0x1p37, wide.to(F32).getDouble(2), 0.0);
        expect(F32, new double[] {16777216, 16777220}, Tensor.of(new long[] {16777217, 16777219}).to(F32));
        expect(F64, WIDE_I64_TO_F64, wide.to(F64));
        expect(B, WIDE_I64_TO_B, wide.to(B));
        // Only the floats and bool hold all of WIDE_F64; float64 to float32 overflows to infinity as in PyTorch,
        // and NaN is true.
        expect(F32, WIDE_F64_TO_F32, Tensor.of(WIDE_F64).to(F32));
        expect(B, WIDE_F64_TO_B, Tensor.of(WIDE_F64).to(B));
        expect(B, new boolean[] {true}, Tensor.of(new float[] {Float.NaN}).to(B));
        expect(I64, TWO_31_TO_I64, Tensor.of(new double[] {0x1p31, -0x1p63, 0x1p62}).to(I64));
        expect(I64, new long[] {Long.MIN_VALUE}, Tensor.of(new float[] {-0x1p63f}).to(I64));
    }

    /**
     * Deliberately unlike PyTorch, a conversion to an integer never wraps or saturates: NaN, infinities and values
     * out of range are refused. PyTorch gives WIDE_F64_TO_I64_TORCH / WIDE_F64_TO_I32_TORCH (undefined behaviour,
     * -2^63 and -2^31 on x86) and wraps int64 to int32 (WIDE_I64_TO_I32_TORCH_WRAPS).
     */
    @Test
    void conversionsToIntegersRefuseWhatPyTorchWrapsOrLeavesUndefined() {
        for (double v : new double[] {NaN, INF, -INF, 0x1p63, 1e300, -1e300, -0x1p63 * 1.0000001}) {
            for (DType floating : new DType[] {F32, F64}) {
                Tensor t = Tensor.full(v, floating, 1);
                refusedNaming(() -> t.to(I64), "to", "int64");
                refusedNaming(() -> t.to(I32), "to", "int32");
            }
        }
        for (double v : new double[] {0x1p31, -0x1p31 - 1, 2147483648.5}) {
            refusedNaming(() -> Tensor.of(new double[] {1, v}).to(I32), "to", "int32");
        }
        for (long v : WIDE_I64) {
            refusedNaming(() -> Tensor.of(new long[] {v}).to(I32), "to", "int32");
        }
        assertEquals(5, ((long[]) WIDE_I64_TO_I32_TORCH_WRAPS).length);
        assertEquals(Long.MIN_VALUE, ((long[]) WIDE_F64_TO_I64_TORCH)[5], "PyTorch's int64 of NaN on x86");
    }

    @Test
    void copyFromConvertsAcrossDtypes() {
        Tensor f64 = Tensor.zeros(F64, 4).copyFrom(Tensor.of(new long[] {TWO_53 + 1, -3, 0, 7}));
        expect(F64, COPY_I64_INTO_F64, f64);
        Tensor i64 = Tensor.zeros(I64, 4).copyFrom(Tensor.of(new float[] {-2.7f, 2.7f, -0f, 1e10f}));
        expect(I64, COPY_F32_INTO_I64, i64);
        Tensor b = Tensor.zeros(B, 4).copyFrom(Tensor.of(new double[] {0, NaN, -0.0, 1e-30}));
        expect(B, COPY_F64_INTO_BOOL, b);
        Tensor f32 = Tensor.zeros(2, 3).copyFrom(Tensor.of(new boolean[] {true, false, true}));
        expect(F32, COPY_BOOL_INTO_F32_BROADCAST, f32);
        // Into a view: only the viewed elements change.
        Tensor base = Tensor.zeros(I32, 2, 3);
        base.t().copyFrom(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        expect(I32, new long[] {1, 3, 5, 2, 4, 6}, base);
        refusedNaming(() -> Tensor.zeros(I64, 1).copyFrom(Tensor.of(new double[] {NaN})), "copyFrom", "int64");
        refusedNaming(() -> Tensor.zeros(I32, 1).copyFrom(Tensor.of(new long[] {1L << 31})), "copyFrom", "int32");
    }

    @Test
    void factories() {
        Tensor l = Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(I64, l.dtype());
        assertArrayEquals(new int[] {2, 3}, l.shape());
        expect(I32, new long[] {1, -2}, Tensor.of(new int[] {1, -2}));
        expect(B, new boolean[] {true, false}, Tensor.of(new boolean[] {true, false}));
        expect(F64, new double[] {0.1, -0.0}, Tensor.of(new double[] {0.1, -0.0}));
        // of() copies its array.
        long[] arr = {1, 2};
        Tensor c = Tensor.of(arr);
        arr[0] = 99;
        expect(I64, new long[] {1, 2}, c);
        refused("Tensor.of: 3 values do not fill shape [2, 2] (4 elements expected)", () -> Tensor.of(new long[3], 2, 2));

        for (DType d : ALL) {
            Tensor z = Tensor.zeros(d, 2, 1);
            assertEquals(d, z.dtype());
            assertArrayEquals(new int[] {2, 1}, z.shape());
            assertArrayEquals(new double[] {0, 0}, z.toDoubleArray(), 0.0);
            assertArrayEquals(new double[] {1, 1, 1}, Tensor.ones(d, 3).toDoubleArray(), 0.0);
            Tensor s = Tensor.scalar(1, d);
            assertEquals(d, s.dtype());
            assertEquals(0, s.dim());
        }
        expect(B, ONES_BOOL, Tensor.ones(B, 3));
        expect(I64, ONES_I64, Tensor.ones(I64, 2));
        expect(I32, shape(2, 2), FULL_7_I32, Tensor.full(7, I32, 2, 2));
        expect(F64, FULL_TENTH_F64, Tensor.full(0.1, F64, 2));
        expect(B, FULL_NAN_BOOL, Tensor.full(NaN, B, 2));
        expect(I64, new long[] {-3}, Tensor.scalar(-3, I64));
        expect(F64, new double[] {-0.0}, Tensor.scalar(-0.0, F64));
        // As in PyTorch: "value cannot be converted to type int without overflow".
        refusedNaming(() -> Tensor.full(0x1p31, I32, 2), "int32");
        // Unlike PyTorch, which truncates (FILL_2_5_I64_TORCH = [2, 2]): a fraction is refused.
        refusedNaming(() -> Tensor.full(2.5, I64, 2), "2.5", "int64");
        refusedNaming(() -> Tensor.scalar(-0.5, I32), "-0.5", "int32");
        refusedNaming(() -> Tensor.zeros(I64, 2).fill(2.5), "fill", "int64");
        assertArrayEquals(new long[] {2, 2}, (long[]) FILL_2_5_I64_TORCH);
        expect(I64, new long[] {-4, -4}, Tensor.zeros(I64, 2).fill(-4.0));
        expect(B, new boolean[] {true}, Tensor.zeros(B, 1).fill(0.5));
    }

    @Test
    void elementAccess() {
        Tensor big = Tensor.of(new long[] {TWO_62 + 1}).reshape();
        assertEquals(TWO_62 + 1, big.itemLong());
        assertEquals(0x1p62, big.itemDouble(), 0.0);
        assertEquals(0x1p62f, big.item(), 0f);
        assertTrue(big.itemBoolean());
        assertEquals(0x1p53, Tensor.of(new long[] {TWO_53 + 1}).itemDouble(), 0.0, "itemDouble rounds beyond 2^53");
        assertEquals(1, Tensor.of(new boolean[] {true}).itemLong());
        assertEquals(Integer.MIN_VALUE, Tensor.of(new int[] {Integer.MIN_VALUE}).itemLong());
        // bool(torch.tensor(nan)) is True.
        assertTrue(Tensor.scalar(Float.NaN).itemBoolean());
        assertFalse(Tensor.scalar(-0f).itemBoolean());
        assertFalse(Tensor.of(new boolean[] {false}).itemBoolean());
        refused("itemLong: the tensor is float64; use item() or itemDouble()", () -> Tensor.of(new double[] {1}).itemLong());

        Tensor m = Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(6, m.getLong(1, 2));
        assertEquals(4, m.getLong(-1, 0));
        assertEquals(2.0, m.getDouble(0, 1), 0.0);
        assertEquals(1, Tensor.of(new boolean[] {false, true}).getLong(1));
        refused("getLong: the tensor is float32; use get() or getDouble()", () -> Tensor.ones(2).getLong(0));

        m.set(TWO_62 + 1, 0, 0);
        assertEquals(TWO_62 + 1, m.getLong(0, 0));
        m.set(-7.0, 0, 1);
        assertEquals(-7, m.getLong(0, 1));
        m.t().set(9L, 2, 1); // through a transposed view: element (1, 2) of m
        assertEquals(9, m.getLong(1, 2));
        Tensor i32 = Tensor.zeros(I32, 2);
        i32.set(Integer.MIN_VALUE, 0);
        i32.set(3f, 1);
        expect(I32, new long[] {Integer.MIN_VALUE, 3}, i32);
        Tensor f64 = Tensor.zeros(F64, 2);
        f64.set(TWO_53 + 1, 0); // the nearest double, as torch's float64 tensor[0] = 2**53 + 1
        f64.set(0.1, 1);
        expect(F64, new double[] {0x1p53, 0.1}, f64);
        Tensor b = Tensor.zeros(B, 3);
        b.set(0.5, 0);
        b.set(2L, 1);
        b.set(NaN, 2);
        expect(B, new boolean[] {true, true, true}, b);
        refused("set: 2.5 is not a whole number, so an int32 tensor cannot hold it", () -> i32.set(2.5, 0));
        refused("set: 3000000000 is out of the range of int32", () -> i32.set(3_000_000_000L, 0));
        refusedNaming(() -> Tensor.ones(I64, 1).expand(3).set(1L, 0), "set", "expanded");

        assertArrayEquals(new long[] {1, 0, 1}, Tensor.of(new boolean[] {true, false, true}).toLongArray());
        assertArrayEquals(new long[] {Integer.MIN_VALUE, 5}, Tensor.of(new int[] {Integer.MIN_VALUE, 5}).toLongArray());
        assertArrayEquals(new boolean[] {true, false, true}, Tensor.of(new double[] {NaN, -0.0, 2}).toBooleanArray());
        refused("toLongArray: the tensor is float32; convert with to(DType.INT64)", () -> Tensor.ones(2).toLongArray());
        refused("toLongArray: the tensor is float64; convert with to(DType.INT64)", () -> Tensor.ones(F64, 2).toLongArray());
    }

    @Test
    void equalsAndHashCodeDistinguishDtypes() {
        Tensor[] same = {Tensor.of(new float[] {1, 0}), Tensor.of(new double[] {1, 0}), Tensor.of(new long[] {1, 0}),
                Tensor.of(new int[] {1, 0}), Tensor.of(new boolean[] {true, false})};
        for (int i = 0; i < same.length; i++) {
            for (int j = 0; j < same.length; j++) {
                if (i == j) {
                    Tensor again = same[i].copy();
                    assertEquals(same[i], again);
                    assertEquals(same[i].hashCode(), again.hashCode());
                } else {
                    assertNotEquals(same[i], same[j], ALL[i] + " vs " + ALL[j]);
                    assertNotEquals(same[i].hashCode(), same[j].hashCode(), ALL[i] + " vs " + ALL[j]);
                }
            }
        }
        // Same dtype, compared by value through any layout.
        Tensor m = Tensor.of(new long[] {1, 2, 3, 4}, 2, 2);
        assertEquals(Tensor.of(new long[] {1, 3, 2, 4}, 2, 2), m.t());
        assertEquals(Tensor.of(new long[] {1, 3, 2, 4}, 2, 2).hashCode(), m.t().hashCode());
        assertNotEquals(Tensor.of(new long[] {TWO_53}), Tensor.of(new long[] {TWO_53 + 1}));
        assertNotEquals(Tensor.of(new double[] {0.0}), Tensor.of(new double[] {-0.0}));
        // NaN equals NaN, as Double.equals has it (a computed NaN against a literal one), but not across dtypes.
        Tensor computed = Tensor.of(new double[] {0.0}).div(0.0);
        assertTrue(Double.isNaN(computed.getDouble(0)));
        assertEquals(Tensor.of(new double[] {NaN}), computed);
        assertNotEquals(Tensor.of(new float[] {Float.NaN}), computed);
    }

    /** The part of a printed tensor before Frelon's ", shape=" / PyTorch's ", dtype=" suffix. */
    private static String body(String s) {
        for (String suffix : new String[] {", shape=", ", dtype="}) {
            int at = s.indexOf(suffix);
            if (at >= 0) {
                s = s.substring(0, at);
            }
        }
        return s.endsWith(")") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Elements print as PyTorch prints them (integers without a decimal point, bools as True/False right-aligned);
     * Frelon adds the shape, writes the dtype without "torch." and writes it for every dtype but float32, where
     * PyTorch leaves out int64 and bool (which it infers from the values).
     */
    @Test
    void toStringShowsTheDtypeAndPrintsElementsAsPyTorch() {
        String[][] cases = {
                {Tensor.of(new long[] {1, 2}).toString(), STR_I64, "tensor([1, 2], shape=[2], dtype=int64)"},
                {Tensor.of(new long[] {1, -2, 30, 4}, 2, 2).toString(), STR_I64_2D,
                        "tensor([[ 1, -2],\n        [30,  4]], shape=[2, 2], dtype=int64)"},
                {Tensor.of(new int[] {1, -2}).toString(), STR_I32, "tensor([ 1, -2], shape=[2], dtype=int32)"},
                {Tensor.of(new boolean[] {true, false}).toString(), STR_BOOL,
                        "tensor([ True, False], shape=[2], dtype=bool)"},
                {Tensor.of(new boolean[] {true, false, false, false}, 2, 2).toString(), STR_BOOL_2D,
                        "tensor([[ True, False],\n        [False, False]], shape=[2, 2], dtype=bool)"},
                {Tensor.of(new double[] {1, 2.5}).toString(), STR_F64, "tensor([1.0000, 2.5000], shape=[2], dtype=float64)"},
                {Tensor.scalar(5, I64).toString(), STR_I64_0D, "tensor(5, dtype=int64)"},
                {Tensor.scalar(1, B).toString(), STR_BOOL_0D, "tensor(True, dtype=bool)"},
        };
        for (String[] c : cases) {
            assertEquals(c[2], c[0]);
            assertEquals(body(c[1]), body(c[0]), "elements as PyTorch prints them");
        }
        assertEquals("tensor([1., 2.], shape=[2])", Tensor.of(new float[] {1, 2}).toString(), "no dtype for float32");
        assertEquals("tensor([9007199254740993], shape=[1], dtype=int64)", Tensor.of(new long[] {TWO_53 + 1}).toString());
    }

    // ---------------------------------------------------------------------------------------------- 4. indexing

    private static final long[] GX = {10, TWO_62 + 1, -3, 4, 5, 6};
    private static final boolean[] GB = {true, false, false, false, true, true};
    private static final double[] GF = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};

    @Test
    void gatherAndScatterAddWithInt64Indices() {
        Tensor x = Tensor.of(GX, 2, 3), bx = Tensor.of(GB, 2, 3), fx = Tensor.of(GF, 2, 3);
        Tensor idx = Tensor.of(new long[] {2, 0, 1, 1}, 2, 2);
        expect(I64, shape(2, 2), GATHER_I64_DIM1, x.gather(1, idx));
        expect(I64, shape(1, 3), GATHER_I64_DIM0, x.gather(0, Tensor.of(new long[] {1, 0, 1}, 1, 3)));
        expect(B, GATHER_BOOL_DIM1, bx.gather(1, idx));
        expect(F64, GATHER_F64_DIM1, fx.gather(1, idx));
        expect(I64, GATHER_I64_DIM1, x.t().contiguous().t().gather(1, idx));
        // Frelon also takes int32 indices (PyTorch: "gather(): Expected dtype int64 for index").
        expect(I64, GATHER_I64_DIM1, x.gather(1, idx.to(I32)));

        Tensor si = Tensor.of(new long[] {0, 2, 0, 1, 1, 1}, 2, 3);
        expect(I64, SCATTER_ADD_I64, x.scatterAdd(1, si, Tensor.of(new long[] {1, 2, 3, TWO_62, 1, 1}, 2, 3)));
        expect(F64, SCATTER_ADD_F64, fx.scatterAdd(1, si, Tensor.of(new double[] {1e-17, 2, 3, 0.25, 0.5, 1e300}, 2, 3)));
        Tensor boolSrc = Tensor.of(new boolean[] {true, false, true, false, false, true}, 2, 3);
        expect(B, SCATTER_ADD_BOOL, bx.scatterAdd(1, si, boolSrc));
        expect(I64, GX, x); // scatterAdd returns a new tensor
        refused("gather: index must be int64, int32 or integer-valued floats, got bool of shape [2, 2]",
                () -> x.gather(1, Tensor.ones(B, 2, 2)));
        refusedNaming(() -> x.scatterAdd(1, Tensor.ones(B, 2, 3), x), "scatterAdd", "bool");
        Check.ioobe(() -> x.gather(1, Tensor.of(new long[] {3}, 1, 1)), "gather", "index 3.0");
        Check.ioobe(() -> x.gather(1, Tensor.of(new long[] {-1}, 1, 1)), "gather");
    }

    @Test
    void indexSelectOnInt64AndBool() {
        expect(I64, shape(2, 3), INDEX_SELECT_I64, Tensor.of(GX, 2, 3).indexSelect(1, 2, 1, 2));
        expect(B, shape(3, 3), INDEX_SELECT_BOOL, Tensor.of(GB, 2, 3).indexSelect(0, 1, 1, 0));
        expect(I64, shape(2, 3), INDEX_SELECT_I64, Tensor.of(GX, 2, 3).indexSelect(1, -1, -2, 2));
        expect(F64, new double[] {0.6, 0.1}, Tensor.of(GF).indexSelect(0, 5, 0));
    }

    @Test
    void concatAndStackPromoteMixedDtypes() {
        Tensor ca = Tensor.of(new long[] {1, 1L << 40}), cb = Tensor.of(new int[] {-7});
        Tensor cc = Tensor.of(new boolean[] {true, false});
        Tensor cf = Tensor.of(new float[] {0.5f}), cd = Tensor.of(new double[] {0.1});
        expect(I64, CAT_I64_I32_BOOL, Tensor.concat(0, ca, cb, cc));
        expect(I32, CAT_BOOL_I32, Tensor.concat(0, cc, cb));
        expect(F32, CAT_I64_F32, Tensor.concat(0, ca, cf));
        expect(F64, CAT_F32_F64, Tensor.concat(0, cf, cd));
        expect(B, CAT_BOOL_BOOL, Tensor.concat(0, cc, cc));
        expect(F64, shape(2, 2), STACK_I64_F64,
                Tensor.stack(0, Tensor.of(new long[] {1, 2}), Tensor.of(new double[] {0.5, 0.1})));
        expect(I32, shape(2, 2), STACK_BOOL_I32_DIM1, Tensor.stack(1, cc, Tensor.of(new int[] {3, 4})));
    }

    @Test
    void whereAndMaskedFill() {
        Tensor m = Tensor.of(new boolean[] {true, false, true});
        expect(F64, WHERE_I64_F64,
                Tensor.where(m, Tensor.of(new long[] {1, TWO_53 + 1, 3}), Tensor.of(new double[] {0.1, 0.2, 0.3})));
        expect(I64, WHERE_I64_I32, Tensor.where(m, Tensor.of(new long[] {1L << 40, 2, 3}), Tensor.of(new int[] {4, 5, 6})));
        expect(F32, WHERE_I64_0D_F32, Tensor.where(m, Tensor.of(new long[] {1, 2, 3}), Tensor.scalar(0.5f)));
        expect(F32, WHERE_F32_0D_F64, Tensor.where(m, Tensor.of(new float[] {1.5f, 2.5f, 3.5f}), Tensor.scalar(0.1, F64)));
        expect(B, WHERE_BOOL_BOOL, Tensor.where(m, Tensor.zeros(B, 3), Tensor.ones(B, 3)));
        // int64 beyond 2^53 survives where.
        expect(I64, new long[] {TWO_53 + 1, 0, TWO_53 + 1},
                Tensor.where(m, Tensor.scalar(0, I64).add(TWO_53 + 1), Tensor.zeros(I64, 3)));

        Tensor mf = Tensor.of(new boolean[] {true, false, false, false, false, true}, 2, 3);
        expect(I64, shape(2, 3), MASKED_FILL_I64, Tensor.of(GX, 2, 3).maskedFill(mf, -100));
        expect(F64, MASKED_FILL_F64, Tensor.of(GF, 2, 3).maskedFill(mf, 0.1));
        expect(F64, MASKED_FILL_F64_NEG_INF, Tensor.of(GF, 2, 3).maskedFill(mf, Double.NEGATIVE_INFINITY));
        expect(B, MASKED_FILL_BOOL, Tensor.of(GB, 2, 3).maskedFill(mf, 1));
        // Unlike PyTorch, which truncates (MASKED_FILL_I64_2_5_TORCH), a fraction is refused for an int64 tensor.
        refusedNaming(() -> Tensor.of(GX, 2, 3).maskedFill(mf, 2.5), "2.5", "int64");
        assertEquals(2L, ((long[]) MASKED_FILL_I64_2_5_TORCH)[0]);
        // The mask must be bool (PyTorch 1.13 also takes an int64 mask for masked_fill, and refuses one for where).
        refused("where: the condition must be a bool tensor, got int64 of shape [3] (make one with a comparison or"
                + " to(DType.BOOL))", () -> Tensor.where(Tensor.of(new long[] {1, 0, 1}), m, m));
    }

    @Test
    void trianglesOnInt64AndBool() {
        long[] tr = new long[12];
        for (int i = 0; i < 12; i++) {
            tr[i] = (i + 1) * (1L << 40);
        }
        Tensor t = Tensor.of(tr, 3, 4);
        expect(I64, shape(3, 4), TRIL_I64, t.tril(0));
        expect(I64, TRIU_I64_1, t.triu(1));
        expect(I64, TRIL_I64_NEG1, t.tril(-1));
        expect(B, shape(3, 3), TRIU_BOOL_1, Tensor.ones(B, 3, 3).triu(1));
        expect(B, shape(2, 2, 3), TRIL_BOOL_BATCH, Tensor.ones(B, 2, 2, 3).tril(0));
        expect(I32, TRIU_I32, Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).triu(0));
    }

    @Test
    void viewsOfInt64AndBoolTensors() {
        long[] vx = new long[12];
        for (int i = 0; i < 12; i++) {
            vx[i] = TWO_53 + i;
        }
        Tensor x = Tensor.of(vx, 3, 4);
        Tensor t = x.t();
        assertFalse(t.isContiguous());
        assertEquals(I64, t.dtype());
        expect(I64, shape(4, 3), VIEW_T_I64, t.contiguous());
        expect(I64, VIEW_T_I64, t.copy());
        assertArrayEquals((long[]) VIEW_T_I64, t.toLongArray());
        expect(I64, shape(3, 2), VIEW_NARROW_I64, x.narrow(1, 1, 2).contiguous());
        expect(I64, shape(3, 3), VIEW_EXPAND_I64, x.narrow(1, 0, 1).expand(3, 3).contiguous());
        expect(I64, VIEW_T_ADD_I64, t.add(t));
        assertTrue(x.narrow(1, 1, 2).sharesStorageWith(x));
        assertFalse(t.copy().sharesStorageWith(x));
        // A write through a view is seen in the base, exactly.
        x.narrow(1, 1, 2).set(Long.MAX_VALUE, 2, 1);
        assertEquals(Long.MAX_VALUE, x.getLong(2, 2));

        Tensor vb = Tensor.of(new boolean[] {true, false, false, false, true, true}, 2, 3);
        expect(B, shape(3, 2), VIEW_T_BOOL, vb.t().contiguous());
        expect(B, shape(2, 2), VIEW_NARROW_BOOL, vb.narrow(1, 1, 2).contiguous());
        expect(B, shape(2, 3), VIEW_EXPAND_BOOL, vb.select(0, 0).unsqueeze(0).expand(2, 3).contiguous());
        expect(I64, VIEW_T_SUM_BOOL, vb.t().sum(1));
        expect(B, new boolean[] {false, true, true, false, true, false}, vb.t().logicalNot().reshape(6));
        refusedNaming(() -> vb.select(0, 0).unsqueeze(0).expand(2, 3).copyFrom(vb), "copyFrom", "expanded");
    }

    // ---------------------------------------------------------------------------------------------- 5. errors

    @Test
    void refusalsNameTheOpAndTheDtype() {
        Tensor bools = Tensor.of(new boolean[] {true, false});
        Tensor ints = Tensor.of(new long[] {1, 2});
        refused("sub: is not defined on two bool tensors (shapes [2] and [2]); convert one with to(DType.INT64)",
                () -> bools.sub(bools));
        refused("pow: is not defined on two bool tensors (shapes [2] and [2]); convert one with to(DType.INT64)",
                () -> bools.pow(bools));
        refused("neg: is not defined on a bool tensor (shape [2]); use logicalNot()", bools::neg);
        refused("mean: expected a float32 or float64 tensor, got int64 of shape [2]", ints::mean);
        refused("mean: expected a float32 or float64 tensor, got bool of shape [2]", () -> bools.mean(0));
        refused("var: expected a float32 or float64 tensor, got int32 of shape [2]",
                () -> Tensor.of(new int[] {1, 2}).var());
        refused("var: expected a float32 or float64 tensor, got int64 of shape [2]", ints::std);
        refused("softmax: expected a float32 or float64 tensor, got bool of shape [2]", () -> bools.softmax(0));
        refused("logSoftmax: expected a float32 or float64 tensor, got int64 of shape [2]", () -> ints.logSoftmax(-1));
        // As PyTorch 1.13: torch.logsumexp(torch.tensor([1, 2]), 0) = log(e + e^2) in float32.
        Tensor lse = ints.logSumExp(0, false);
        assertEquals(F32, lse.dtype());
        assertEquals((float) Math.log(Math.exp(ints.getDouble(0)) + Math.exp(ints.getDouble(1))), lse.item(), 1e-6f);
        refused("to: NaN cannot be converted to int64 (NaN, infinite or out of its range)",
                () -> Tensor.of(new double[] {NaN}).to(I64));
        refused("to: Infinity cannot be converted to int32 (NaN, infinite or out of its range)",
                () -> Tensor.of(new float[] {Float.POSITIVE_INFINITY}).to(I32));
        refused("to: 2.147483648E9 cannot be converted to int32 (NaN, infinite or out of its range)",
                () -> Tensor.of(new double[] {0x1p31}).to(I32));
        refused("to: 9.223372036854776E18 cannot be converted to int64 (NaN, infinite or out of its range)",
                () -> Tensor.of(new float[] {0x1p63f}).to(I64));
        refused("to: 2147483648 is out of the range of int32", () -> Tensor.of(new long[] {1L << 31}).to(I32));
        refused("fill: 2.5 is not a whole number, so an int64 tensor cannot hold it", () -> Tensor.zeros(I64, 2).fill(2.5));
        refused("where: the condition must be a bool tensor, got float64 of shape [2] (make one with a comparison or"
                + " to(DType.BOOL))", () -> Tensor.where(Tensor.ones(F64, 2), ints, ints));
        refused("matmul: needs two float32 or two float64 operands, got float32 [2] @ float64 [2] (convert with to();"
                + " PyTorch also refuses mixed dtypes)", () -> Tensor.ones(2).matmul(Tensor.ones(F64, 2)));
        refused("matmul: needs two float32 or two float64 operands, got int64 [2, 2] @ int64 [2, 2] (convert with to();"
                + " PyTorch also refuses mixed dtypes)", () -> Tensor.ones(I64, 2, 2).matmul(Tensor.ones(I64, 2, 2)));
        refused("itemLong: the tensor is float32; use item() or itemDouble()", () -> Tensor.scalar(1f).itemLong());
        refused("gather: index must be int64, int32 or integer-valued floats, got bool of shape [2]",
                () -> ints.gather(0, bools));
        // Each refusal names the op the caller called.
        refused("full: 2.5 is not a whole number, so an int64 tensor cannot hold it", () -> Tensor.full(2.5, I64, 1));
        refused("maskedFill: 0.5 is not a whole number, so an int64 tensor cannot hold it",
                () -> ints.maskedFill(bools, 0.5));
        refused("maskedFill: the mask must be a bool tensor, got int64 of shape [2] (make one with a comparison or"
                + " to(DType.BOOL))", () -> ints.maskedFill(ints, 0));
        refused("addInPlace: the result is float32, which cannot be written into the int64 tensor of shape [1]",
                () -> Tensor.of(new long[] {5}).addInPlace(Tensor.of(new float[] {1.5f})));
        // An int32 tensor plus a long beyond int32: PyTorch wraps (int32 [1] + 2**40 is [1]); Frelon refuses.
        refused("add: 1099511627776 is out of the range of int32, the dtype of the tensor (shape [1]); convert it with"
                + " to(DType.INT64) first", () -> Tensor.of(new int[] {1}).add(1L << 40));
    }

    /** Unary operations on bool tensors: where PyTorch 1.13 answers, Frelon answers the same; see the notes. */
    @Test
    void unaryOperationsOnBool() {
        Tensor b = Tensor.of(new boolean[] {true, false});
        // torch.square(bool) = tensor([1, 0]) (int64).
        expect(I64, new long[] {1, 0}, b.square());
        // torch.exp(bool) is float32.
        assertEquals(Tensor.of(new float[] {1, 0}).exp(), b.exp());
        expect(F32, new double[] {1, 0}, b.sqrt());
    }

    /**
     * Cases where Frelon was found to differ from PyTorch 1.13 without a documented reason (see the report of the
     * test's author): each assertion is PyTorch's answer, or the refusal that matches PyTorch's error. Enable when
     * they are fixed.
     */
    @Test
    void inPlaceWritesAllCloseAndBoolUnaryAgree() {
        // addInPlace on int64 goes through float32 (other.mul(1f)), so it rounds beyond 2^24.
        expect(I64, ADD_INPLACE_I64, Tensor.of(new long[] {16777217, TWO_53 + 1}).addInPlace(Tensor.of(new long[] {1, 1})));
        expect(I64, ADD_INPLACE_I64_ALPHA_2, Tensor.of(new long[] {TWO_53 + 1}).addInPlace(Tensor.of(new long[] {1}), 2f));
        // mulInPlace(float) on int64 likewise rounds through float32: (2^40 + 1) * 2 gives 2^41.
        expect(I64, MUL_INPLACE_I64_BY_2, Tensor.of(new long[] {(1L << 40) + 1}).mulInPlace(2f));
        // Fractions written into an int64 tensor in place are truncated silently; PyTorch refuses ("result type Float
        // can't be cast to the desired output type Long", "self (Long) and source (Float) must have the same scalar type").
        refusedNaming(() -> Tensor.of(new long[] {5}).addInPlace(Tensor.of(new float[] {1.5f})), "int64", "float32");
        refusedNaming(() -> Tensor.of(new long[] {5}).mulInPlace(0.5f), "int64");
        refusedNaming(() -> Tensor.zeros(I64, 3).indexAdd(0, new int[] {0}, Tensor.of(new float[] {1.5f})),
                "int64", "float32");
        refusedNaming(() -> Tensor.zeros(I64, 3).scatterAdd(0, Tensor.of(new long[] {0}), Tensor.of(new float[] {1.5f})),
                "int64", "float32");
        // allClose compares int64 as doubles: 2^53 and 2^53 + 1 come out equal.
        assertFalse(Tensor.of(new long[] {TWO_53}).allClose(Tensor.of(new long[] {TWO_53 + 1}), 0f, 0f));
        // sign of bool is bool in PyTorch; abs and relu of bool are refused there.
        expect(B, SIGN_BOOL, Tensor.of(new boolean[] {true, false}).sign());
        refusedNaming(() -> Tensor.of(new boolean[] {true}).abs(), "abs", "bool");
        refusedNaming(() -> Tensor.of(new boolean[] {true}).relu(), "relu", "bool");
        // An empty tensor prints no dtype.
        assertTrue(Tensor.zeros(I64, 0).toString().contains("dtype=int64"), STR_I64_EMPTY);
        assertTrue(Tensor.zeros(B, 0).toString().contains("dtype=bool"), STR_BOOL_EMPTY);
    }

    /** A refused conversion writes nothing: the destination keeps its values and its version. */
    @Test
    void aRefusedConversionLeavesTheDestinationUntouched() {
        Tensor t = Tensor.of(new long[] {1, 2, 3});
        int version = t.version();
        refusedNaming(() -> t.copyFrom(Tensor.of(new double[] {5, 6, NaN})), "copyFrom", "NaN", "int64");
        assertArrayEquals(new long[] {1, 2, 3}, t.toLongArray());
        assertEquals(version, t.version());
    }

    /** item() and get() round an int64 once, as to(FLOAT32) does, not through a double. */
    @Test
    void int64ItemsRoundOnceToFloat() {
        long v = (1L << 53) + (1L << 29) + 1;
        Tensor t = Tensor.of(new long[] {v});
        assertEquals((float) v, t.item());
        assertEquals((float) v, t.get(0));
        assertEquals(t.to(F32).item(), t.item());
    }

    /** A bool tensor cannot be scaled in place (PyTorch: "result type Long can't be cast to Bool"). */
    @Test
    void boolTensorsRefuseInPlaceScaling() {
        refusedNaming(() -> Tensor.of(new boolean[] {true}).mulInPlace(2f), "mulInPlace", "bool");
        refusedNaming(() -> Tensor.of(new boolean[] {true}).mulInPlace(0.5f), "mulInPlace", "bool");
        refusedNaming(() -> Tensor.of(new long[] {1}).mulInPlace(Float.NaN), "mulInPlace", "int64");
        refusedNaming(() -> Tensor.arange(I64, 1e19, 1e19 + 8192, 4096), "arange", "int64"); // past 2^63: refused, not saturated
    }

    private static int[] shape(int... s) {
        return s;
    }

    // ---------------------------------------- BEGIN GENERATED by dtype_cases.py with PyTorch 1.13.0a0
    static final DType[][] PROMOTE = {
            {F32, F64, F32, F32, F32},
            {F64, F64, F64, F64, F64},
            {F32, F64, I64, I64, I64},
            {F32, F64, I64, I32, I32},
            {F32, F64, I64, I32, B},
    };
    static final DType[][] RESULT_DIM_DIM = {
            {F32, F64, F32, F32, F32},
            {F64, F64, F64, F64, F64},
            {F32, F64, I64, I64, I64},
            {F32, F64, I64, I32, I32},
            {F32, F64, I64, I32, B},
    };
    static final DType[][] RESULT_DIM_0D = {
            {F32, F32, F32, F32, F32},
            {F64, F64, F64, F64, F64},
            {F32, F64, I64, I64, I64},
            {F32, F64, I32, I32, I32},
            {F32, F64, I64, I32, B},
    };
    static final DType[][] RESULT_0D_DIM = {
            {F32, F64, F32, F32, F32},
            {F32, F64, F64, F64, F64},
            {F32, F64, I64, I32, I64},
            {F32, F64, I64, I32, I32},
            {F32, F64, I64, I32, B},
    };
    static final DType[][] RESULT_0D_0D = {
            {F32, F64, F32, F32, F32},
            {F64, F64, F64, F64, F64},
            {F32, F64, I64, I64, I64},
            {F32, F64, I64, I32, I32},
            {F32, F64, I64, I32, B},
    };
    static final double[][] OPERAND_A = {{1.5, -2.0, 0.0}, {1.5, -2.0, 0.0}, {3.0, -2.0, 0.0}, {3.0, -2.0, 0.0}, {1.0, 0.0, 0.0}};
    static final double[][] OPERAND_B = {{0.5, 4.0, -3.0}, {0.25, 4.0, -3.0}, {2.0, 5.0, -3.0}, {2.0, 5.0, -3.0}, {1.0, 1.0, 0.0}};
    static final DType[][] ADD_DTYPE = {{F32, F64, F32, F32, F32}, {F64, F64, F64, F64, F64}, {F32, F64, I64, I64, I64}, {F32, F64, I64, I32, I32}, {F32, F64, I64, I32, B}};
    static final double[][][] ADD_VALUES = {
            {new double[] {2.0, 2.0, -3.0}, new double[] {1.75, 2.0, -3.0}, new double[] {3.5, 3.0, -3.0}, new double[] {3.5, 3.0, -3.0}, new double[] {2.5, -1.0, 0.0}},
            {new double[] {2.0, 2.0, -3.0}, new double[] {1.75, 2.0, -3.0}, new double[] {3.5, 3.0, -3.0}, new double[] {3.5, 3.0, -3.0}, new double[] {2.5, -1.0, 0.0}},
            {new double[] {3.5, 2.0, -3.0}, new double[] {3.25, 2.0, -3.0}, new double[] {5.0, 3.0, -3.0}, new double[] {5.0, 3.0, -3.0}, new double[] {4.0, -1.0, 0.0}},
            {new double[] {3.5, 2.0, -3.0}, new double[] {3.25, 2.0, -3.0}, new double[] {5.0, 3.0, -3.0}, new double[] {5.0, 3.0, -3.0}, new double[] {4.0, -1.0, 0.0}},
            {new double[] {1.5, 4.0, -3.0}, new double[] {1.25, 4.0, -3.0}, new double[] {3.0, 5.0, -3.0}, new double[] {3.0, 5.0, -3.0}, new double[] {1.0, 1.0, 0.0}},
    };
    static final DType[][] ADD_DTYPE_DIM_0D = {{F32, F32, F32, F32, F32}, {F64, F64, F64, F64, F64}, {F32, F64, I64, I64, I64}, {F32, F64, I32, I32, I32}, {F32, F64, I64, I32, B}};
    static final DType[][] MUL_DTYPE = {{F32, F64, F32, F32, F32}, {F64, F64, F64, F64, F64}, {F32, F64, I64, I64, I64}, {F32, F64, I64, I32, I32}, {F32, F64, I64, I32, B}};
    static final double[][][] MUL_VALUES = {
            {new double[] {0.75, -8.0, -0.0}, new double[] {0.375, -8.0, -0.0}, new double[] {3.0, -10.0, -0.0}, new double[] {3.0, -10.0, -0.0}, new double[] {1.5, -2.0, 0.0}},
            {new double[] {0.75, -8.0, -0.0}, new double[] {0.375, -8.0, -0.0}, new double[] {3.0, -10.0, -0.0}, new double[] {3.0, -10.0, -0.0}, new double[] {1.5, -2.0, 0.0}},
            {new double[] {1.5, -8.0, -0.0}, new double[] {0.75, -8.0, -0.0}, new double[] {6.0, -10.0, 0.0}, new double[] {6.0, -10.0, 0.0}, new double[] {3.0, -2.0, 0.0}},
            {new double[] {1.5, -8.0, -0.0}, new double[] {0.75, -8.0, -0.0}, new double[] {6.0, -10.0, 0.0}, new double[] {6.0, -10.0, 0.0}, new double[] {3.0, -2.0, 0.0}},
            {new double[] {0.5, 0.0, -0.0}, new double[] {0.25, 0.0, -0.0}, new double[] {2.0, 0.0, 0.0}, new double[] {2.0, 0.0, 0.0}, new double[] {1.0, 0.0, 0.0}},
    };
    static final DType[][] MUL_DTYPE_DIM_0D = {{F32, F32, F32, F32, F32}, {F64, F64, F64, F64, F64}, {F32, F64, I64, I64, I64}, {F32, F64, I32, I32, I32}, {F32, F64, I64, I32, B}};
    static final DType[][] DIV_DTYPE = {{F32, F64, F32, F32, F32}, {F64, F64, F64, F64, F64}, {F32, F64, F32, F32, F32}, {F32, F64, F32, F32, F32}, {F32, F64, F32, F32, F32}};
    static final double[][][] DIV_VALUES = {
            {new double[] {3.0, -0.5, -0.0}, new double[] {6.0, -0.5, -0.0}, new double[] {0.75, -0.4000000059604645, -0.0}, new double[] {0.75, -0.4000000059604645, -0.0}, new double[] {1.5, -2.0, NaN}},
            {new double[] {3.0, -0.5, -0.0}, new double[] {6.0, -0.5, -0.0}, new double[] {0.75, -0.4, -0.0}, new double[] {0.75, -0.4, -0.0}, new double[] {1.5, -2.0, NaN}},
            {new double[] {6.0, -0.5, -0.0}, new double[] {12.0, -0.5, -0.0}, new double[] {1.5, -0.4000000059604645, -0.0}, new double[] {1.5, -0.4000000059604645, -0.0}, new double[] {3.0, -2.0, NaN}},
            {new double[] {6.0, -0.5, -0.0}, new double[] {12.0, -0.5, -0.0}, new double[] {1.5, -0.4000000059604645, -0.0}, new double[] {1.5, -0.4000000059604645, -0.0}, new double[] {3.0, -2.0, NaN}},
            {new double[] {2.0, 0.0, -0.0}, new double[] {4.0, 0.0, -0.0}, new double[] {0.5, 0.0, -0.0}, new double[] {0.5, 0.0, -0.0}, new double[] {1.0, 0.0, NaN}},
    };
    static final DType[][] DIV_DTYPE_DIM_0D = {{F32, F32, F32, F32, F32}, {F64, F64, F64, F64, F64}, {F32, F64, F32, F32, F32}, {F32, F64, F32, F32, F32}, {F32, F64, F32, F32, F32}};
    static final DType[][] EQ_DTYPE = {{B, B, B, B, B}, {B, B, B, B, B}, {B, B, B, B, B}, {B, B, B, B, B}, {B, B, B, B, B}};
    static final double[][][] EQ_VALUES = {
            {new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 1.0}},
            {new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 1.0}},
            {new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 1.0}},
            {new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 1.0}},
            {new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {0.0, 0.0, 0.0}, new double[] {1.0, 0.0, 1.0}},
    };
    static final DType[][] EQ_DTYPE_DIM_0D = {{B, B, B, B, B}, {B, B, B, B, B}, {B, B, B, B, B}, {B, B, B, B, B}, {B, B, B, B, B}};
    // torch.sub(bool, bool): Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.
    // torch.pow(bool, bool): "pow" not implemented for 'Bool'
    static final Object I64_ADD_BEYOND_2_53 = new long[] {4611686018427387906L, 9007199254740995L}; // int64
    static final Object I64_ADD_WRAPS = new long[] {-9223372036854775808L}; // int64
    static final Object I64_SUB_WRAPS = new long[] {9223372036854775807L}; // int64
    static final Object I64_MUL_WRAPS = new long[] {0L, -9223372036709301616L}; // int64
    static final Object I32_ADD_WRAPS = new long[] {-2147483648L, 2147483647L}; // int32
    static final Object I32_MUL_WRAPS = new long[] {-2147479015L, 0L}; // int32
    static final Object I64_POW = new long[] {4611686018427387904L, 27L, -8L, -6289078614652622815L, 1L, 1L}; // int64
    static final Object I32_POW = new long[] {-808182895L, -2147483648L}; // int32
    static final Object I64_POW_NEGATIVE_TORCH = new long[] {0L, 1L, -1L, 0L}; // int64
    // torch.tensor([3]) ** -1: Integers to negative integer powers are not allowed.
    static final Object INT_TRUE_DIV = new double[] {3.5, -3.5, 0.3333333432674408, INF, -INF, NaN}; // float32
    static final Object I32_TRUE_DIV = new double[] {3.5, -2.25}; // float32
    static final Object CMP_I64_F32_EQ = new boolean[] {true, false, true, true}; // bool
    static final Object CMP_I64_F32_NE = new boolean[] {false, true, false, false}; // bool
    static final Object CMP_I64_F32_LT = new boolean[] {false, true, false, false}; // bool
    static final Object CMP_I64_F32_LE = new boolean[] {true, true, true, true}; // bool
    static final Object CMP_I64_F32_GT = new boolean[] {false, false, false, false}; // bool
    static final Object CMP_I64_F32_GE = new boolean[] {true, false, true, true}; // bool
    static final Object CMP_I64_F64_EQ = new boolean[] {true}; // bool
    static final Object CMP_I64_I64_EQ = new boolean[] {false}; // bool
    static final Object CMP_I64_SCALAR_EQ = new boolean[] {true, true}; // bool
    static final Object LOGICAL_AND = new boolean[] {true, false, false, false}; // bool
    static final Object LOGICAL_OR = new boolean[] {true, true, true, false}; // bool
    static final Object LOGICAL_XOR = new boolean[] {false, true, true, false}; // bool
    static final Object LOGICAL_NOT = new boolean[] {false, false, true, true}; // bool
    static final Object LOGICAL_AND_MIXED = new boolean[] {false, false, true, false, false}; // bool
    static final Object LOGICAL_OR_MIXED = new boolean[] {true, true, true, true, true}; // bool
    static final Object LOGICAL_XOR_MIXED = new boolean[] {true, true, false, true, true}; // bool
    static final Object LOGICAL_NOT_F32 = new boolean[] {true, false, false, true, false}; // bool
    static final Object BOOL_SUM = new long[] {3L}; // int64
    static final Object BOOL_SUM_DIM1 = new long[] {2L, 1L}; // int64
    static final Object I32_SUM = new long[] {4294967299L}; // int64
    static final Object I64_SUM_EXACT = new long[] {6917529027641081859L}; // int64
    static final Object I64_SUM_WRAPS = new long[] {-9223372036854775808L}; // int64
    static final Object ARGMAX_F32 = new long[] {1L}; // int64
    static final Object ARGMIN_F32 = new long[] {3L}; // int64
    static final Object ARGMAX_NAN_F32 = new long[] {1L}; // int64
    static final Object ARGMIN_NAN_F32 = new long[] {1L}; // int64
    static final Object MAX_NAN_F32 = new double[] {NaN}; // float32
    static final Object ARGMAX_F64 = new long[] {1L}; // int64
    static final Object ARGMIN_F64 = new long[] {3L}; // int64
    static final Object ARGMAX_NAN_F64 = new long[] {1L}; // int64
    static final Object ARGMIN_NAN_F64 = new long[] {1L}; // int64
    static final Object MAX_NAN_F64 = new double[] {NaN}; // float64
    static final Object ARGMAX_F64_DIM1 = new long[] {1L, 0L}; // int64
    static final Object ARGMIN_F64_DIM1 = new long[] {0L, 0L}; // int64
    static final Object ARGMAX_F64_DIM0 = new long[] {1L, 0L, 1L}; // int64
    static final Object ARGMAX_I64 = new long[] {2L}; // int64
    static final Object ARGMIN_I64 = new long[] {1L}; // int64
    static final Object MAX_I64 = new long[] {4611686018427387905L}; // int64
    static final Object MIN_I64 = new long[] {-2L}; // int64
    static final Object MAX_I64_DIM1_VALUES = new long[] {4611686018427387905L, 4611686018427387904L}; // int64
    static final Object MAX_I64_DIM1_INDICES = new long[] {1L, 2L}; // int64
    static final Object MIN_I64_DIM1_VALUES = new long[] {5L, -7L}; // int64
    static final Object MIN_I64_DIM1_INDICES = new long[] {0L, 0L}; // int64
    static final Object MAX_BOOL = new boolean[] {true}; // bool
    static final Object MIN_BOOL = new boolean[] {false}; // bool
    static final Object MAX_BOOL_DIM1 = new boolean[] {true, false}; // bool
    // torch.argmax(bool): "argmax_cpu" not implemented for 'Bool'
    // torch.argmin(bool): "argmin_cpu" not implemented for 'Bool'
    static final Object F64_ONE_PLUS_TINY = new double[] {1.000088900582341e-12}; // float64
    static final Object F32_ONE_PLUS_TINY = new double[] {0.0}; // float32
    static final Object F64_THIRD = new double[] {0.3333333333333333}; // float64
    static final Object F32_THIRD = new double[] {0.3333333432674408}; // float32
    static final double[] UNARY_X = new double[] {-745.0, -700.0, -30.0, -20.0, -3.7, -1.0, -0.5, -1e-08, -0.0, 0.0, 1e-300, 1e-08, 0.1, 0.5, 1.0, 2.5, 3.7, 10.0, 20.0, 30.0, 100.0, 709.0, 710.0};
    static final double[] LOG_X = new double[] {0.0, 1e-300, 1e-08, 0.1, 0.5, 0.9999999999, 1.0, 1.0000000001, 2.5, 3.7, 10.0, 100.0, 1e+300, -1.0};
    static final Object F64_EXP = new double[] {5e-324, 9.85967654375977e-305, 9.357622968840175e-14, 2.061153622438558e-09, 0.024723526470339388, 0.36787944117144233, 0.6065306597126334, 0.9999999900000001, 1.0, 1.0, 1.0, 1.00000001, 1.1051709180756477, 1.6487212707001282, 2.718281828459045, 12.182493960703473, 40.4473043600674, 22026.465794806718, 485165195.4097903, 10686474581524.463, 2.6881171418161356e+43, 8.218407461554972e+307, INF}; // float64
    static final Object F64_TANH = new double[] {-1.0, -1.0, -1.0, -1.0, -0.9987782412811312, -0.7615941559557649, -0.46211715726000974, -1e-08, -0.0, 0.0, 1e-300, 1e-08, 0.09966799462495582, 0.46211715726000974, 0.7615941559557649, 0.9866142981514303, 0.9987782412811312, 0.9999999958776927, 1.0, 1.0, 1.0, 1.0, 1.0}; // float64
    static final Object F64_SIGMOID = new double[] {0.0, 9.85967654375977e-305, 9.357622968839299e-14, 2.0611536181902037e-09, 0.024127021417669196, 0.2689414213699951, 0.3775406687981454, 0.4999999975, 0.5, 0.5, 0.5, 0.5000000025, 0.52497918747894, 0.6224593312018546, 0.7310585786300049, 0.9241418199787566, 0.9758729785823308, 0.9999546021312976, 0.9999999979388463, 0.9999999999999065, 1.0, 1.0, 1.0}; // float64
    static final Object F64_SQRT = new double[] {27.294688127912362, 26.457513110645905, 5.477225575051661, 4.47213595499958, 1.9235384061671346, 1.0, 0.7071067811865476, 0.0001, 0.0, 0.0, 1e-150, 0.0001, 0.31622776601683794, 0.7071067811865476, 1.0, 1.5811388300841898, 1.9235384061671346, 3.1622776601683795, 4.47213595499958, 5.477225575051661, 10.0, 26.627053911388696, 26.645825188948457}; // float64
    static final Object F64_LOG = new double[] {-INF, -690.7755278982137, -18.420680743952367, -2.3025850929940455, -0.6931471805599453, -1.000000082790371e-10, 0.0, 1.000000082690371e-10, 0.9162907318741551, 1.308332819650179, 2.302585092994046, 4.605170185988092, 690.7755278982137, NaN}; // float64
    static final double[] SOFTMAX_X = new double[] {1.0, 2.0, 3.0, 4.0, -1000.0, 0.0, 1000.0, 999.5, 0.1, 0.2, 0.3, 0.4, -1e-09, 1e-09, 0.0, -0.0};
    static final Object F64_SOFTMAX_1 = new double[] {0.03205860328008499, 0.08714431874203257, 0.23688281808991016, 0.6439142598879724, 0.0, 0.0, 0.6224593312018546, 0.37754066879814546, 0.21383822036598443, 0.23632778232153767, 0.2611825921550756, 0.28865140515740234, 0.24999999975000003, 0.25000000025, 0.25, 0.25}; // float64
    static final Object F64_SOFTMAX_0 = new double[] {0.5635551899985943, 0.6963936430794654, 0.0, 0.0, 0.0, 0.09424663093033603, 1.0, 1.0, 0.22912444184277717, 0.11511309496561598, 0.0, 0.0, 0.20732036815862848, 0.09424663102458264, 0.0, 0.0}; // float64
    static final Object F64_LOG_SOFTMAX_1 = new double[] {-3.4401896985611953, -2.4401896985611953, -1.4401896985611953, -0.44018969856119533, -2000.47407698418, -1000.4740769841801, -0.4740769841801067, -0.9740769841801067, -1.5425355294551628, -1.4425355294551627, -1.3425355294551629, -1.2425355294551628, -1.3862943621198907, -1.3862943601198907, -1.3862943611198908, -1.3862943611198908}; // float64
    static final Object F64_LOGSUMEXP_1 = new double[] {4.440189698561196, 1000.4740769841801, 1.642535529455163, 1.3862943611198908}; // float64
    static final Object F64_LOGSUMEXP_0 = new double[] {1.5734900088633053, 2.3618401993901545, 1000.0, 999.5}; // float64
    static final double[] REDUCE_X = new double[] {0.63, 0.6, 0.5333333333333333, 0.18000000000000005, 0.6000000000000001, 0.6666666666666666, 0.3728571428571429, 0.8250000000000001, 0.9111111111111112, 0.63, 1.0909090909090908, 1.1833333333333333, 0.906923076923077, 1.3714285714285714, 1.4666666666666668, 1.1925, 1.6588235294117648, 1.7555555555555558, 1.4826315789473683, 1.9500000000000002, 2.0476190476190474, 1.7754545454545454, 2.2434782608695656, 2.341666666666667, 2.0700000000000003, 2.5384615384615383, 2.6370370370370373, 2.3657142857142857, 2.8344827586206898, 2.9333333333333336, 2.662258064516129, 3.13125, 3.2303030303030305, 2.9594117647058824, 3.428571428571429, 3.5277777777777777, 3.257027027027027};
    static final Object F64_SUM = new double[] {65.99158622382167}; // float64
    static final Object F64_MEAN = new double[] {1.7835563844276128}; // float64
    static final Object F64_VAR = new double[] {0.9888833740978055}; // float64
    static final Object F64_VAR_POP = new double[] {0.9621567964194864}; // float64
    static final Object F64_SUM_ROWS = new double[] {3.21, 5.013210678210679, 8.351897399985635, 11.840850099557192, 15.379028953166884, 18.93957206587425}; // float64
    static final Object F64_MEAN_COLS = new double[] {1.3541116438739529, 1.7360233516483519, 1.8043450376783712, 1.5171800993124522, 1.9760441780637565, 2.068055555555556}; // float64
    static final Object F64_TENTHS_SUM = new double[] {1.0}; // float64
    static final Object F32_TENTHS_SUM = new double[] {1.0000001192092896}; // float32
    static final Object[] CONVERT_SRC = {
            new double[] {-2.700000047683716, 2.700000047683716, 0.5, -0.5, -0.0, 0.0, 1.0, -1.0, 100.98999786376953, 16777216.0, 2147483520.0, -2147483648.0},
            new double[] {-2.7, 2.7, 0.5, -0.5, -0.0, 0.0, 1.0, -1.0, 100.99, 16777217.0, 2147483647.9, -2147483648.9, 0.1, 1e-50},
            new long[] {-3L, 0L, 1L, 2147483647L, -2147483648L, 16777217L, 16777219L},
            new long[] {-3L, 0L, 1L, 2147483647L, -2147483648L, 16777217L, 16777219L},
            new boolean[] {true, false, true},
    };
    static final Object[][] CONVERT = {
            {new double[] {-2.700000047683716, 2.700000047683716, 0.5, -0.5, -0.0, 0.0, 1.0, -1.0, 100.98999786376953, 16777216.0, 2147483520.0, -2147483648.0}, new double[] {-2.700000047683716, 2.700000047683716, 0.5, -0.5, -0.0, 0.0, 1.0, -1.0, 100.98999786376953, 16777216.0, 2147483520.0, -2147483648.0}, new long[] {-2L, 2L, 0L, 0L, 0L, 0L, 1L, -1L, 100L, 16777216L, 2147483520L, -2147483648L}, new long[] {-2L, 2L, 0L, 0L, 0L, 0L, 1L, -1L, 100L, 16777216L, 2147483520L, -2147483648L}, new boolean[] {true, true, true, true, false, false, true, true, true, true, true, true}},
            {new double[] {-2.700000047683716, 2.700000047683716, 0.5, -0.5, -0.0, 0.0, 1.0, -1.0, 100.98999786376953, 16777216.0, 2147483648.0, -2147483648.0, 0.10000000149011612, 0.0}, new double[] {-2.7, 2.7, 0.5, -0.5, -0.0, 0.0, 1.0, -1.0, 100.99, 16777217.0, 2147483647.9, -2147483648.9, 0.1, 1e-50}, new long[] {-2L, 2L, 0L, 0L, 0L, 0L, 1L, -1L, 100L, 16777217L, 2147483647L, -2147483648L, 0L, 0L}, new long[] {-2L, 2L, 0L, 0L, 0L, 0L, 1L, -1L, 100L, 16777217L, 2147483647L, -2147483648L, 0L, 0L}, new boolean[] {true, true, true, true, false, false, true, true, true, true, true, true, true, true}},
            {new double[] {-3.0, 0.0, 1.0, 2147483648.0, -2147483648.0, 16777216.0, 16777220.0}, new double[] {-3.0, 0.0, 1.0, 2147483647.0, -2147483648.0, 16777217.0, 16777219.0}, new long[] {-3L, 0L, 1L, 2147483647L, -2147483648L, 16777217L, 16777219L}, new long[] {-3L, 0L, 1L, 2147483647L, -2147483648L, 16777217L, 16777219L}, new boolean[] {true, false, true, true, true, true, true}},
            {new double[] {-3.0, 0.0, 1.0, 2147483648.0, -2147483648.0, 16777216.0, 16777220.0}, new double[] {-3.0, 0.0, 1.0, 2147483647.0, -2147483648.0, 16777217.0, 16777219.0}, new long[] {-3L, 0L, 1L, 2147483647L, -2147483648L, 16777217L, 16777219L}, new long[] {-3L, 0L, 1L, 2147483647L, -2147483648L, 16777217L, 16777219L}, new boolean[] {true, false, true, true, true, true, true}},
            {new double[] {1.0, 0.0, 1.0}, new double[] {1.0, 0.0, 1.0}, new long[] {1L, 0L, 1L}, new long[] {1L, 0L, 1L}, new boolean[] {true, false, true}},
    };
    static final long[] WIDE_I64 = new long[] {2147483648L, 9007199254740993L, 1152921573326323713L, 9223372036854775807L, -9223372036854775808L};
    static final Object WIDE_I64_TO_F32 = new double[] {2147483648.0, 9007199254740992.0, 1.1529216420458004e+18, 9.223372036854776e+18, -9.223372036854776e+18}; // float32
    static final Object WIDE_I64_TO_F64 = new double[] {2147483648.0, 9007199254740992.0, 1.1529215733263237e+18, 9.223372036854776e+18, -9.223372036854776e+18}; // float64
    static final Object WIDE_I64_TO_B = new boolean[] {true, true, true, true, true}; // bool
    static final Object WIDE_I64_TO_I32_TORCH_WRAPS = new long[] {-2147483648L, 1L, 1L, -1L, 0L}; // int32
    static final double[] WIDE_F64 = new double[] {1e+300, -1e+300, 2147483648.0, 9.223372036854776e+18, -9.223372036854776e+18, NaN, INF, -INF};
    static final Object WIDE_F64_TO_F32 = new double[] {INF, -INF, 2147483648.0, 9.223372036854776e+18, -9.223372036854776e+18, NaN, INF, -INF}; // float32
    static final Object WIDE_F64_TO_B = new boolean[] {true, true, true, true, true, true, true, true}; // bool
    static final Object WIDE_F64_TO_I64_TORCH = new long[] {-9223372036854775808L, -9223372036854775808L, 2147483648L, -9223372036854775808L, -9223372036854775808L, -9223372036854775808L, -9223372036854775808L, -9223372036854775808L}; // int64
    static final Object WIDE_F64_TO_I32_TORCH = new long[] {-2147483648L, -2147483648L, -2147483648L, -2147483648L, -2147483648L, -2147483648L, -2147483648L, -2147483648L}; // int32
    static final Object TWO_31_TO_I64 = new long[] {2147483648L, -9223372036854775808L, 4611686018427387904L}; // int64
    static final Object COPY_I64_INTO_F64 = new double[] {9007199254740992.0, -3.0, 0.0, 7.0}; // float64
    static final Object COPY_F32_INTO_I64 = new long[] {-2L, 2L, 0L, 10000000000L}; // int64
    static final Object COPY_F64_INTO_BOOL = new boolean[] {false, true, false, true}; // bool
    static final Object COPY_BOOL_INTO_F32_BROADCAST = new double[] {1.0, 0.0, 1.0, 1.0, 0.0, 1.0}; // float32
    static final Object FULL_NAN_BOOL = new boolean[] {true, true}; // bool
    static final Object FULL_7_I32 = new long[] {7L, 7L, 7L, 7L}; // int32
    static final Object ONES_BOOL = new boolean[] {true, true, true}; // bool
    static final Object ONES_I64 = new long[] {1L, 1L}; // int64
    static final Object FULL_TENTH_F64 = new double[] {0.1, 0.1}; // float64
    // torch.full((2,), 2**31, dtype=torch.int32): value cannot be converted to type int without overflow
    static final Object FILL_2_5_I64_TORCH = new long[] {2L, 2L}; // int64
    // bool(torch.tensor(nan)) = True
    static final String STR_I64 = "tensor([1, 2])";
    static final String STR_I64_2D = "tensor([[ 1, -2],\n        [30,  4]])";
    static final String STR_I32 = "tensor([ 1, -2], dtype=torch.int32)";
    static final String STR_BOOL = "tensor([ True, False])";
    static final String STR_BOOL_2D = "tensor([[ True, False],\n        [False, False]])";
    static final String STR_F64 = "tensor([1.0000, 2.5000], dtype=torch.float64)";
    static final String STR_I64_0D = "tensor(5)";
    static final String STR_BOOL_0D = "tensor(True)";
    static final Object GATHER_I64_DIM1 = new long[] {-3L, 10L, 5L, 5L}; // int64
    static final Object GATHER_I64_DIM0 = new long[] {4L, 4611686018427387905L, 6L}; // int64
    static final Object GATHER_BOOL_DIM1 = new boolean[] {false, true, true, true}; // bool
    static final Object GATHER_F64_DIM1 = new double[] {0.3, 0.1, 0.5, 0.5}; // float64
    static final Object SCATTER_ADD_I64 = new long[] {14L, 4611686018427387905L, -1L, 4L, 4611686018427387911L, 6L}; // int64
    static final Object SCATTER_ADD_F64 = new double[] {3.1, 0.2, 2.3, 0.4, 1e+300, 0.6}; // float64
    static final Object SCATTER_ADD_BOOL = new boolean[] {true, false, false, false, true, true}; // bool
    // scatter_add(int64 self, float32 src): scatter(): Expected self.dtype to be equal to src.dtype
    // gather(int32 index): gather(): Expected dtype int64 for index
    static final Object INDEX_SELECT_I64 = new long[] {-3L, 4611686018427387905L, -3L, 6L, 5L, 6L}; // int64
    static final Object INDEX_SELECT_BOOL = new boolean[] {false, true, true, false, true, true, true, false, false}; // bool
    static final Object CAT_I64_I32_BOOL = new long[] {1L, 1099511627776L, -7L, 1L, 0L}; // int64
    static final Object CAT_BOOL_I32 = new long[] {1L, 0L, -7L}; // int32
    static final Object CAT_I64_F32 = new double[] {1.0, 1099511627776.0, 0.5}; // float32
    static final Object CAT_F32_F64 = new double[] {0.5, 0.1}; // float64
    static final Object CAT_BOOL_BOOL = new boolean[] {true, false, true, false}; // bool
    static final Object STACK_I64_F64 = new double[] {1.0, 2.0, 0.5, 0.1}; // float64
    static final Object STACK_BOOL_I32_DIM1 = new long[] {1L, 3L, 0L, 4L}; // int32
    static final Object WHERE_I64_F64 = new double[] {1.0, 0.2, 3.0}; // float64
    static final Object WHERE_I64_I32 = new long[] {1099511627776L, 5L, 3L}; // int64
    static final Object WHERE_I64_0D_F32 = new double[] {1.0, 0.5, 3.0}; // float32
    static final Object WHERE_F32_0D_F64 = new double[] {1.5, 0.10000000149011612, 3.5}; // float32
    static final Object WHERE_BOOL_BOOL = new boolean[] {false, true, false}; // bool
    static final Object MASKED_FILL_I64 = new long[] {-100L, 4611686018427387905L, -3L, 4L, 5L, -100L}; // int64
    static final Object MASKED_FILL_F64 = new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.1}; // float64
    static final Object MASKED_FILL_F64_NEG_INF = new double[] {-INF, 0.2, 0.3, 0.4, 0.5, -INF}; // float64
    static final Object MASKED_FILL_BOOL = new boolean[] {true, false, false, false, true, true}; // bool
    static final Object MASKED_FILL_I64_2_5_TORCH = new long[] {2L, 4611686018427387905L, -3L, 4L, 5L, 2L}; // int64
    static final Object TRIL_I64 = new long[] {1099511627776L, 0L, 0L, 0L, 5497558138880L, 6597069766656L, 0L, 0L, 9895604649984L, 10995116277760L, 12094627905536L, 0L}; // int64
    static final Object TRIU_I64_1 = new long[] {0L, 2199023255552L, 3298534883328L, 4398046511104L, 0L, 0L, 7696581394432L, 8796093022208L, 0L, 0L, 0L, 13194139533312L}; // int64
    static final Object TRIL_I64_NEG1 = new long[] {0L, 0L, 0L, 0L, 5497558138880L, 0L, 0L, 0L, 9895604649984L, 10995116277760L, 0L, 0L}; // int64
    static final Object TRIU_BOOL_1 = new boolean[] {false, true, true, false, false, true, false, false, false}; // bool
    static final Object TRIL_BOOL_BATCH = new boolean[] {true, false, false, true, true, false, true, false, false, true, true, false}; // bool
    static final Object TRIU_I32 = new long[] {1L, 2L, 3L, 0L, 5L, 6L}; // int32
    static final Object VIEW_T_I64 = new long[] {9007199254740992L, 9007199254740996L, 9007199254741000L, 9007199254740993L, 9007199254740997L, 9007199254741001L, 9007199254740994L, 9007199254740998L, 9007199254741002L, 9007199254740995L, 9007199254740999L, 9007199254741003L}; // int64
    static final Object VIEW_NARROW_I64 = new long[] {9007199254740993L, 9007199254740994L, 9007199254740997L, 9007199254740998L, 9007199254741001L, 9007199254741002L}; // int64
    static final Object VIEW_EXPAND_I64 = new long[] {9007199254740992L, 9007199254740992L, 9007199254740992L, 9007199254740996L, 9007199254740996L, 9007199254740996L, 9007199254741000L, 9007199254741000L, 9007199254741000L}; // int64
    static final Object VIEW_T_BOOL = new boolean[] {true, false, false, true, false, true}; // bool
    static final Object VIEW_NARROW_BOOL = new boolean[] {false, false, true, true}; // bool
    static final Object VIEW_EXPAND_BOOL = new boolean[] {true, false, false, true, false, false}; // bool
    static final Object VIEW_T_SUM_BOOL = new long[] {1L, 1L, 1L}; // int64
    static final Object VIEW_T_ADD_I64 = new long[] {18014398509481984L, 18014398509481992L, 18014398509482000L, 18014398509481986L, 18014398509481994L, 18014398509482002L, 18014398509481988L, 18014398509481996L, 18014398509482004L, 18014398509481990L, 18014398509481998L, 18014398509482006L}; // int64
    static final Object ADD_INPLACE_I64 = new long[] {16777218L, 9007199254740994L}; // int64
    static final Object ADD_INPLACE_I64_ALPHA_2 = new long[] {9007199254740995L}; // int64
    static final Object MUL_INPLACE_I64_BY_2 = new long[] {2199023255554L}; // int64
    // torch add_(int64, float32): result type Float can't be cast to the desired output type Long
    // torch mul_(int64, 0.5): result type Float can't be cast to the desired output type Long
    // torch index_add(int64, float32): index_add_(): self (Long) and source (Float) must have the same scalar type
    // torch abs(bool): "abs_cpu" not implemented for 'Bool'
    // torch relu(bool): Boolean inputs not supported for relu
    // torch.allclose(tensor([2**53]), tensor([2**53 + 1]), rtol=0, atol=0) = False
    static final Object SIGN_BOOL = new boolean[] {true, false}; // bool
    static final Object LOGSUMEXP_I64 = new double[] {2.3132617473602295}; // float32
    static final Object CLAMP_I64_INT_BOUNDS = new long[] {9007199254740993L, 0L}; // int64
    static final String STR_I64_EMPTY = "tensor([], dtype=torch.int64)";
    static final String STR_BOOL_EMPTY = "tensor([], dtype=torch.bool)";
    // ---------------------------------------- END GENERATED
}
