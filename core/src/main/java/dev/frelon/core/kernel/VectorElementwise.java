package dev.frelon.core.kernel;

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
        int i = op == UnaryOp.RELU ? reluDense(a, aOff, out, outOff, n) : dense(op, a, aOff, out, outOff, n);
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

    /** The unary ops without a loop of their own; the op's switch inside the loop, as in the binary one. */
    private static int dense(UnaryOp op, float[] a, int aOff, float[] out, int outOff, int n) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), minusOne = one.neg();
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, aOff + i);
            FloatVector r = switch (op) {
                case NEG -> x.neg();
                case EXP -> x.lanewise(VectorOperators.EXP);
                case LOG -> x.lanewise(VectorOperators.LOG);
                case SQRT -> x.sqrt();
                case ABS -> x.abs();
                // NaN compares false every way and stays NaN through the blends.
                case SIGN -> x.blend(one, x.compare(VectorOperators.GT, 0f))
                        .blend(minusOne, x.compare(VectorOperators.LT, 0f))
                        .blend(zero, x.compare(VectorOperators.EQ, 0f));
                case TANH -> x.lanewise(VectorOperators.TANH);
                // 1 / (1 + e^-x): e^-x overflows to +inf for very negative x, giving exactly 0, as it should.
                case SIGMOID -> one.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
                case RELU -> x.max(zero);
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
