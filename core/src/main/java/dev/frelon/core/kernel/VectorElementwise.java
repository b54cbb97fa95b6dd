package dev.frelon.core.kernel;

import static dev.frelon.core.kernel.ExpPolynomial.*;
import static dev.frelon.core.kernel.VectorWidth.FMA;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API elementwise loops. Dense (stride 1) and broadcast (stride 0) operands run in SIMD; any other
 * stride falls to the plain loops, which are correct but not fast (callers make inner strips dense).
 * Loaded only through {@link Kernels}, reflectively, so that the library runs without the incubator module.
 */
final class VectorElementwise implements ElementwiseKernels {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    /**
     * On x86 without AVX the JDK compiles no float compare, min or max to vector instructions, nor the
     * {@code lanewise} transcendentals: those ops then run lane by lane in Java (relu 0.08× the plain loop under
     * {@code -XX:UseAVX=0}), so they take the plain loops there.
     */
    private static final boolean SSE_ONLY = Isa.current().sseOnly();
    private final ScalarElementwise scalar = new ScalarElementwise();

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int n) {
        if (n <= 0) {
            return; // the broadcast branches below read a[aOff] / b[bOff], which an empty strip may not have
        }
        if (n < VectorWidth.TINY || aStride > 1 || bStride > 1 || aStride < 0 || bStride < 0 || op == BinaryOp.POW
                || (SSE_ONLY && !(op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV))) {
            scalar.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            return;
        }
        // One small method per loop: C2 compiles each with every Vector API call inlined and intrinsified. In one
        // large method it stops inlining past a size budget, and then every vector is boxed (10× slower).
        int i;
        if (aStride == 1 && bStride == 1 && op == BinaryOp.ADD) {
            i = addDense(a, aOff, b, bOff, out, outOff, n);
        } else if (aStride == 1 && bStride == 1 && op == BinaryOp.SUB) {
            i = subDense(a, aOff, b, bOff, out, outOff, n);
        } else if (aStride == 1 && bStride == 1 && op == BinaryOp.MUL) {
            i = mulDense(a, aOff, b, bOff, out, outOff, n);
        } else if (aStride == 1 || bStride == 1) {
            i = loop(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
        } else {
            float v = op.apply(a[aOff], b[bOff]);
            java.util.Arrays.fill(out, outOff, outOff + n, v);
            return;
        }
        if (i < n) {
            scalar.binary(op, a, aOff + i * aStride, aStride, b, bOff + i * bStride, bStride, out, outOff + i, n - i);
        }
    }

    private static int addDense(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int subDense(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, aOff + i).sub(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int mulDense(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    /**
     * The ops without a loop of their own, for dense or broadcast ({@code stride 0}) operands. The op's switch stands
     * inside the loop, not in a helper method taking vectors: a helper that C2 has compiled on its own is not inlined
     * ("already compiled into a medium method") and then boxes every vector it is passed.
     */
    private static int loop(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                            float[] out, int outOff, int n) {
        FloatVector va = FloatVector.broadcast(S, a[aOff]), vb = FloatVector.broadcast(S, b[bOff]);
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = aStride == 0 ? va : FloatVector.fromArray(S, a, aOff + i);
            FloatVector y = bStride == 0 ? vb : FloatVector.fromArray(S, b, bOff + i);
            FloatVector r = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAX -> x.max(y);
                case MIN -> x.min(y);
                case EQ -> zero.blend(one, x.compare(VectorOperators.EQ, y));
                case NE -> zero.blend(one, x.compare(VectorOperators.NE, y));
                case LT -> zero.blend(one, x.compare(VectorOperators.LT, y));
                case LE -> zero.blend(one, x.compare(VectorOperators.LE, y));
                case GT -> zero.blend(one, x.compare(VectorOperators.GT, y));
                case GE -> zero.blend(one, x.compare(VectorOperators.GE, y));
                case RELU_BACKWARD -> x.blend(zero, y.compare(VectorOperators.LE, 0f));
                case POW -> throw new AssertionError("POW takes the scalar path");
            };
            r.intoArray(out, outOff + i);
        }
        return i;
    }

    @Override
    public void unary(UnaryOp op, float[] a, int aOff, int aStride, float[] out, int outOff, int n) {
        if (n < VectorWidth.TINY || aStride != 1 || (SSE_ONLY && !(op == UnaryOp.NEG || op == UnaryOp.SQRT || op == UnaryOp.ABS
                || op == UnaryOp.SQUARE || op == UnaryOp.RECIPROCAL))) {
            scalar.unary(op, a, aOff, aStride, out, outOff, n);
            return;
        }
        int i = switch (op) {
            case RELU -> reluDense(a, aOff, out, outOff, n);
            case EXP, SIGMOID, TANH -> expFamilyDense(op, a, aOff, out, outOff, n);
            case LOG -> logDense(a, aOff, out, outOff, n);
            default -> dense(op, a, aOff, out, outOff, n);
        };
        if (i < n) {
            scalar.unary(op, a, aOff + i, 1, out, outOff + i, n - i);
        }
    }

    private static int reluDense(float[] a, int aOff, float[] out, int outOff, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, aOff + i).max(zero).intoArray(out, outOff + i);
        }
        return i;
    }

    // ---------------------------------------------------------------------------------------- transcendentals
    //
    // exp, log, tanh and sigmoid are written out in IEEE arithmetic (add, multiply, fused multiply-add where the
    // machine has it, compares and blends, integer bit moves) instead of lanewise(EXP/LOG/TANH): the JDK computes
    // those with a native library in C2-compiled code and with Math's methods in the interpreter and C1, which
    // round differently (158 of 4,096 exp results changed once C2 compiled a loop), so the same seeded run gave
    // different bits from one JVM to the next. These give the same bits in every execution mode, within 2 ulp of
    // Math's results.

    /** tanh(x) ≈ x + x³·P(x²) below |x| = 0.625, where 1 − 2/(e^{2|x|} + 1) loses digits (Cephes' tanhf). */
    private static final float TANH_SMALL = 0.625f, T0 = -3.33332819422e-1f, T1 = 1.33314422036e-1f,
            T2 = -5.37397155531e-2f, T3 = 2.06390887954e-2f, T4 = -5.70498872745e-3f;

    /**
     * exp, sigmoid and tanh, which all need one exponential: e = exp(x), exp(−|x|) or exp(2|x|) by range reduction
     * (x = n·ln2 + r, |r| ≤ ln2/2), a polynomial for e^r and 2^n built in the exponent bits; then
     * sigmoid = 1/(1 + e) or e/(1 + e) with e = exp(−|x|), and tanh = ±(1 − 2/(e + 1)), or tanh's own polynomial
     * near 0. The op's switch sits inside
     * the loop, as in {@link #dense}: C2 unswitches it.
     */
    private static int expFamilyDense(UnaryOp op, float[] a, int aOff, float[] out, int outOff, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E), magic = FloatVector.broadcast(S, MAGIC);
        FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI), ln2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector e7 = FloatVector.broadcast(S, E7), e6 = FloatVector.broadcast(S, E6), e5 = FloatVector.broadcast(S, E5);
        FloatVector e4 = FloatVector.broadcast(S, E4), e3 = FloatVector.broadcast(S, E3), e2 = FloatVector.broadcast(S, E2);
        FloatVector t4 = FloatVector.broadcast(S, T4), t3 = FloatVector.broadcast(S, T3), t2 = FloatVector.broadcast(S, T2);
        FloatVector t1 = FloatVector.broadcast(S, T1), t0 = FloatVector.broadcast(S, T0);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, aOff + i);
            FloatVector arg = switch (op) {
                case SIGMOID -> x.abs().neg();
                case TANH -> x.abs().mul(two);
                default -> x;
            };
            // Clamp by compare and blend: NaN compares false and passes through; -inf becomes EXP_LOW and so 0.
            arg = arg.blend(EXP_LOW, arg.lt(EXP_LOW)).blend(EXP_HIGH, arg.compare(VectorOperators.GT, EXP_HIGH));
            FloatVector t = FMA ? arg.fma(log2e, magic) : arg.mul(log2e).add(magic);       // MAGIC + n
            FloatVector k = t.sub(MAGIC);
            FloatVector r = FMA ? k.fma(ln2Hi, arg) : k.mul(ln2Hi).add(arg);
            r = FMA ? k.fma(ln2Lo, r) : k.mul(ln2Lo).add(r);
            FloatVector p = FMA ? r.fma(e7, e6) : r.mul(e7).add(e6);
            p = FMA ? p.fma(r, e5) : p.mul(r).add(e5);
            p = FMA ? p.fma(r, e4) : p.mul(r).add(e4);
            p = FMA ? p.fma(r, e3) : p.mul(r).add(e3);
            p = FMA ? p.fma(r, e2) : p.mul(r).add(e2);
            p = FMA ? p.fma(r, one) : p.mul(r).add(one);
            p = FMA ? p.fma(r, one) : p.mul(r).add(one);
            // 2^n as 2^floor(n/2) · 2^ceil(n/2), both normal for n in [-150, 128], so that a subnormal result or an
            // overflow rounds once, at the last multiply; the exponent fields come from t's low bits.
            var biased = t.reinterpretAsInts().sub(MAGIC_BITS - 254);
            var half = biased.lanewise(VectorOperators.ASHR, 1);
            FloatVector s1 = half.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = biased.sub(half).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(s1).mul(s2);
            FloatVector y = switch (op) {
                // e = e^-|x| never overflows: 1/(1 + e) for x ≥ 0, e/(1 + e) below, down to the subnormal results.
                case SIGMOID -> one.blend(e, x.lt(0f)).div(e.add(one));
                case TANH -> {
                    FloatVector big = one.sub(two.div(e.add(one)));
                    FloatVector z = x.mul(x);
                    FloatVector q = FMA ? z.fma(t4, t3) : z.mul(t4).add(t3);
                    q = FMA ? q.fma(z, t2) : q.mul(z).add(t2);
                    q = FMA ? q.fma(z, t1) : q.mul(z).add(t1);
                    q = FMA ? q.fma(z, t0) : q.mul(z).add(t0);
                    FloatVector xz = x.mul(z);
                    FloatVector small = FMA ? q.fma(xz, x) : q.mul(xz).add(x);
                    // |x| < 0.625 is false for NaN, which then goes through 1 − 2/(NaN + 1) and stays NaN.
                    yield big.blend(big.neg(), x.lt(0f)).blend(small, x.abs().lt(TANH_SMALL));
                }
                default -> e;
            };
            y.intoArray(out, outOff + i);
        }
        return i;
    }

    private static final float SQRT_HALF = 0.707106781186547524f, MIN_NORMAL = Float.MIN_NORMAL, TWO_23 = 8388608f;
    /** log(1 + x) ≈ x − x²/2 + x³·Q(x) for x + 1 in [√½, √2) (Cephes' logf). */
    private static final float L0 = 3.3333331174e-1f, L1 = -2.4999993993e-1f, L2 = 2.0000714765e-1f,
            L3 = -1.6668057665e-1f, L4 = 1.4249322787e-1f, L5 = -1.2420140846e-1f, L6 = 1.1676998740e-1f,
            L7 = -1.1514610310e-1f, L8 = 7.0376836292e-2f;

    /**
     * The natural logarithm: x = m·2^k with m in [√½, √2) taken from the bits (subnormals scaled by 2^23 first),
     * log m by a polynomial in m − 1, plus k·ln2 in two parts; then the special values (NaN, negative, 0, +inf) by
     * blends.
     */
    private static int logDense(float[] a, int aOff, float[] out, int outOff, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f), half = FloatVector.broadcast(S, 0.5f);
        FloatVector l8 = FloatVector.broadcast(S, L8), l7 = FloatVector.broadcast(S, L7), l6 = FloatVector.broadcast(S, L6);
        FloatVector l5 = FloatVector.broadcast(S, L5), l4 = FloatVector.broadcast(S, L4), l3 = FloatVector.broadcast(S, L3);
        FloatVector l2 = FloatVector.broadcast(S, L2), l1 = FloatVector.broadcast(S, L1), l0 = FloatVector.broadcast(S, L0);
        FloatVector ln2Lo = FloatVector.broadcast(S, LN2_LO), ln2Hi = FloatVector.broadcast(S, LN2_HI);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, aOff + i);
            var tiny = x.lt(MIN_NORMAL);
            FloatVector xs = x.blend(x.mul(TWO_23), tiny);
            var bits = xs.reinterpretAsInts();
            // k = biased exponent − 126, m = mantissa with exponent −1: m in [0.5, 1), x = m·2^k.
            var k = bits.lanewise(VectorOperators.LSHR, 23).lanewise(VectorOperators.AND, 0xff).sub(126);
            FloatVector m = bits.lanewise(VectorOperators.AND, 0x807fffff).lanewise(VectorOperators.OR, 0x3f000000)
                    .reinterpretAsFloats();
            FloatVector kf = ((FloatVector) k.convert(VectorOperators.I2F, 0))
                    .sub(FloatVector.zero(S).blend(23f, tiny));
            var low = m.lt(SQRT_HALF);
            kf = kf.sub(FloatVector.zero(S).blend(1f, low));
            FloatVector f = m.blend(m.add(m), low).sub(one);                    // m − 1 with m in [√½, √2)
            FloatVector z = f.mul(f);
            FloatVector q = FMA ? f.fma(l8, l7) : f.mul(l8).add(l7);
            q = FMA ? q.fma(f, l6) : q.mul(f).add(l6);
            q = FMA ? q.fma(f, l5) : q.mul(f).add(l5);
            q = FMA ? q.fma(f, l4) : q.mul(f).add(l4);
            q = FMA ? q.fma(f, l3) : q.mul(f).add(l3);
            q = FMA ? q.fma(f, l2) : q.mul(f).add(l2);
            q = FMA ? q.fma(f, l1) : q.mul(f).add(l1);
            q = FMA ? q.fma(f, l0) : q.mul(f).add(l0);
            FloatVector y = q.mul(f).mul(z);
            y = FMA ? kf.fma(ln2Lo, y) : kf.mul(ln2Lo).add(y);
            y = FMA ? z.neg().fma(half, y) : y.sub(z.mul(half));
            FloatVector r = f.add(y);
            r = FMA ? kf.fma(ln2Hi, r) : kf.mul(ln2Hi).add(r);
            r = r.blend(Float.NaN, x.lt(0f))
                    .blend(Float.NEGATIVE_INFINITY, x.eq(0f))
                    .blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY))
                    .blend(x, x.compare(VectorOperators.NE, x));                // NaN in, NaN out
            r.intoArray(out, outOff + i);
        }
        return i;
    }

    /** The unary ops without a loop of their own; the op's switch inside the loop, as in the binary one. */
    private static int dense(UnaryOp op, float[] a, int aOff, float[] out, int outOff, int n) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), minusOne = one.neg();
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, aOff + i);
            FloatVector r = switch (op) {
                case NEG -> x.neg();
                case SQRT -> x.sqrt();
                case ABS -> x.abs();
                // NaN compares false every way and stays NaN through the blends.
                case SIGN -> x.blend(one, x.compare(VectorOperators.GT, 0f))
                        .blend(minusOne, x.compare(VectorOperators.LT, 0f))
                        .blend(zero, x.compare(VectorOperators.EQ, 0f));
                case EXP, LOG, TANH, SIGMOID, RELU -> throw new AssertionError(op + " has a loop of its own");
                case SQUARE -> x.mul(x);
                case RECIPROCAL -> one.div(x);
            };
            r.intoArray(out, outOff + i);
        }
        return i;
    }

    /**
     * The plain loop: C2 vectorises {@code y += alpha·x} by itself as well as this class could (the same time at 512,
     * 256 and 128 bits on Zen 5, at memory speed), so one loop serves both paths.
     */
    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        scalar.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public void affine(float[] a, int aOff, int aStride, float scale, float shift, float[] out, int outOff, int n) {
        if (n < VectorWidth.TINY) {
            scalar.affine(a, aOff, aStride, scale, shift, out, outOff, n);
            return;
        }
        if (aStride != 1) {
            scalar.affine(a, aOff, aStride, scale, shift, out, outOff, n);
            return;
        }
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector vs = FloatVector.broadcast(S, scale);
        FloatVector vt = FloatVector.broadcast(S, shift);
        for (; i < bound; i += S.length()) {
            FloatVector va = FloatVector.fromArray(S, a, aOff + i);
            (FMA ? va.fma(vs, vt) : va.mul(vs).add(vt)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * scale + shift;
        }
    }
}
