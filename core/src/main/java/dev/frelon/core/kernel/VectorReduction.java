package dev.frelon.core.kernel;

import static dev.frelon.core.kernel.VectorWidth.FMA;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API reductions: lane-wise accumulators, one {@code reduceLanes} at the end of each strip. */
final class VectorReduction implements ReductionKernels {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final ScalarReduction PLAIN = new ScalarReduction();
    private final ScalarReduction scalar = new ScalarReduction();

    @Override
    public float sum(float[] a, int off, int n) {
        if (n < VectorWidth.TINY) {
            return PLAIN.sum(a, off, n);
        }
        int len = S.length();
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * len <= n; i += 2 * len) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + len));
        }
        for (; i + len <= n; i += len) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
        }
        float s = LaneSum.sum(acc0.add(acc1));
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    @Override
    public float max(float[] a, int off, int n) {
        if (n < VectorWidth.TINY) {
            return PLAIN.max(a, off, n);
        }
        int bound = S.loopBound(n);
        if (bound == 0) {
            return scalar.max(a, off, n);
        }
        FloatVector acc = FloatVector.fromArray(S, a, off);
        int i = S.length();
        for (; i < bound; i += S.length()) {
            acc = acc.max(FloatVector.fromArray(S, a, off + i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, a[off + i]);
        }
        return m;
    }

    @Override
    public float min(float[] a, int off, int n) {
        if (n < VectorWidth.TINY) {
            return PLAIN.min(a, off, n);
        }
        int bound = S.loopBound(n);
        if (bound == 0) {
            return scalar.min(a, off, n);
        }
        FloatVector acc = FloatVector.fromArray(S, a, off);
        int i = S.length();
        for (; i < bound; i += S.length()) {
            acc = acc.min(FloatVector.fromArray(S, a, off + i));
        }
        float m = acc.reduceLanes(VectorOperators.MIN);
        for (; i < n; i++) {
            m = Math.min(m, a[off + i]);
        }
        return m;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        if (n < VectorWidth.TINY) {
            return PLAIN.dot(a, aOff, b, bOff, n);
        }
        int len = S.length();
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * len <= n; i += 2 * len) {
            FloatVector x0 = FloatVector.fromArray(S, a, aOff + i), y0 = FloatVector.fromArray(S, b, bOff + i);
            FloatVector x1 = FloatVector.fromArray(S, a, aOff + i + len), y1 = FloatVector.fromArray(S, b, bOff + i + len);
            acc0 = FMA ? x0.fma(y0, acc0) : x0.mul(y0).add(acc0);
            acc1 = FMA ? x1.fma(y1, acc1) : x1.mul(y1).add(acc1);
        }
        for (; i + len <= n; i += len) {
            FloatVector x0 = FloatVector.fromArray(S, a, aOff + i), y0 = FloatVector.fromArray(S, b, bOff + i);
            acc0 = FMA ? x0.fma(y0, acc0) : x0.mul(y0).add(acc0);
        }
        float s = LaneSum.sum(acc0.add(acc1));
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public float sumSquaredDeviation(float[] a, int off, int n, float shift) {
        if (n < VectorWidth.TINY) {
            return PLAIN.sumSquaredDeviation(a, off, n, shift);
        }
        FloatVector acc = FloatVector.zero(S);
        FloatVector vs = FloatVector.broadcast(S, shift);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, a, off + i).sub(vs);
            acc = FMA ? d.fma(d, acc) : d.mul(d).add(acc);
        }
        float s = LaneSum.sum(acc);
        for (; i < n; i++) {
            float d = a[off + i] - shift;
            s += d * d;
        }
        return s;
    }
}
