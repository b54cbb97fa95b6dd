package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API elementwise loops. Dense (stride 1) and broadcast (stride 0) operands run in SIMD; any other
 * stride falls to the plain loops, which are correct but not fast (callers make inner strips dense).
 * Loaded only through {@link Kernels}, reflectively, so that the library runs without the incubator module.
 */
final class VectorElementwise implements ElementwiseKernels {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private final ScalarElementwise scalar = new ScalarElementwise();

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int n) {
        if (n <= 0) {
            return; // the broadcast branches below read a[aOff] / b[bOff], which an empty strip may not have
        }
        if (aStride > 1 || bStride > 1 || aStride < 0 || bStride < 0 || op == BinaryOp.POW) {
            scalar.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            return;
        }
        int i = 0;
        int bound = S.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += S.length()) {
                apply(op, FloatVector.fromArray(S, a, aOff + i), FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
            }
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(S, b[bOff]);
            for (; i < bound; i += S.length()) {
                apply(op, FloatVector.fromArray(S, a, aOff + i), vb).intoArray(out, outOff + i);
            }
        } else if (bStride == 1) {
            FloatVector va = FloatVector.broadcast(S, a[aOff]);
            for (; i < bound; i += S.length()) {
                apply(op, va, FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
            }
        } else {
            float v = op.apply(a[aOff], b[bOff]);
            java.util.Arrays.fill(out, outOff, outOff + n, v);
            return;
        }
        if (i < n) {
            scalar.binary(op, a, aOff + i * aStride, aStride, b, bOff + i * bStride, bStride, out, outOff + i, n - i);
        }
    }

    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
            case EQ -> mask(x.compare(VectorOperators.EQ, y));
            case NE -> mask(x.compare(VectorOperators.NE, y));
            case LT -> mask(x.compare(VectorOperators.LT, y));
            case LE -> mask(x.compare(VectorOperators.LE, y));
            case GT -> mask(x.compare(VectorOperators.GT, y));
            case GE -> mask(x.compare(VectorOperators.GE, y));
            case POW -> throw new AssertionError("POW takes the scalar path");
        };
    }

    private static FloatVector mask(VectorMask<Float> m) {
        return FloatVector.zero(S).blend(1f, m);
    }

    @Override
    public void unary(UnaryOp op, float[] a, int aOff, int aStride, float[] out, int outOff, int n) {
        if (aStride != 1) {
            scalar.unary(op, a, aOff, aStride, out, outOff, n);
            return;
        }
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            apply(op, FloatVector.fromArray(S, a, aOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            scalar.unary(op, a, aOff + i, 1, out, outOff + i, n - i);
        }
    }

    private static FloatVector apply(UnaryOp op, FloatVector x) {
        return switch (op) {
            case NEG -> x.neg();
            case EXP -> x.lanewise(VectorOperators.EXP);
            case LOG -> x.lanewise(VectorOperators.LOG);
            case SQRT -> x.sqrt();
            case ABS -> x.abs();
            case SIGN -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector zero = FloatVector.zero(S);
                // NaN compares false both ways and stays NaN through the blend below.
                yield x.blend(one, x.compare(VectorOperators.GT, 0f))
                       .blend(one.neg(), x.compare(VectorOperators.LT, 0f))
                       .blend(zero, x.compare(VectorOperators.EQ, 0f));
            }
            case TANH -> x.lanewise(VectorOperators.TANH);
            case SIGMOID -> {
                // 1 / (1 + e^-x): e^-x overflows to +inf for very negative x, giving exactly 0, as it should.
                FloatVector e = x.neg().lanewise(VectorOperators.EXP);
                yield FloatVector.broadcast(S, 1f).div(e.add(1f));
            }
            case RELU -> x.max(0f);
            case SQUARE -> x.mul(x);
            case RECIPROCAL -> FloatVector.broadcast(S, 1f).div(x);
        };
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void affine(float[] a, int aOff, int aStride, float scale, float shift, float[] out, int outOff, int n) {
        if (aStride != 1) {
            scalar.affine(a, aOff, aStride, scale, shift, out, outOff, n);
            return;
        }
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector vs = FloatVector.broadcast(S, scale);
        FloatVector vt = FloatVector.broadcast(S, shift);
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, aOff + i).fma(vs, vt).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * scale + shift;
        }
    }
}
