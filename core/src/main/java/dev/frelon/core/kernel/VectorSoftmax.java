package dev.frelon.core.kernel;

import static dev.frelon.core.kernel.ExpPolynomial.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API softmax steps. {@code exp} is computed here rather than by {@code lanewise(EXP)}, whose speed
 * depends on a native math library being present for the platform and width (without one it falls back to a
 * scalar call per lane); on AVX-512 with the JDK's SVML this one is as fast and stays within 1 ulp.
 */
final class VectorSoftmax implements SoftmaxKernels {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;

    @Override
    public float max(float[] a, int off, int n) {
        // Compare-and-blend instead of FloatVector.max: Java's max rules for NaN and -0.0 cost several
        // instructions per vector on x86, and four accumulators hide the blend latency.
        int len = S.length(), bound = S.loopBound(n);
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        for (; i + 4 * len <= bound; i += 4 * len) {
            FloatVector v0 = FloatVector.fromArray(S, a, off + i), v1 = FloatVector.fromArray(S, a, off + i + len);
            FloatVector v2 = FloatVector.fromArray(S, a, off + i + 2 * len), v3 = FloatVector.fromArray(S, a, off + i + 3 * len);
            m0 = m0.blend(v0, m0.lt(v0));
            m1 = m1.blend(v1, m1.lt(v1));
            m2 = m2.blend(v2, m2.lt(v2));
            m3 = m3.blend(v3, m3.lt(v3));
        }
        for (; i < bound; i += len) {
            FloatVector v = FloatVector.fromArray(S, a, off + i);
            m0 = m0.blend(v, m0.lt(v));
        }
        m0 = m0.blend(m1, m0.lt(m1));
        m2 = m2.blend(m3, m2.lt(m3));
        float m = m0.blend(m2, m0.lt(m2)).reduceLanes(VectorOperators.MAX); // no NaN can be left in the lanes
        for (; i < n; i++) {
            float v = a[off + i];
            m = v > m ? v : m;
        }
        return m;
    }

    @Override
    public void exp(float[] a, int off, float[] out, int outOff, int n) {
        int bound = S.loopBound(n), i = 0;
        for (; i < bound; i += S.length()) {
            exp(FloatVector.fromArray(S, a, off + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            var m = S.indexInRange(i, n);
            exp(FloatVector.fromArray(S, a, off + i, m)).intoArray(out, outOff + i, m);
        }
    }

    @Override
    public float expShiftSum(float[] a, int off, int n, float shift, float[] out, int outOff) {
        FloatVector acc = FloatVector.zero(S), vs = FloatVector.broadcast(S, shift);
        int bound = S.loopBound(n), i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector e = exp(FloatVector.fromArray(S, a, off + i).sub(vs));
            e.intoArray(out, outOff + i);
            acc = acc.add(e);
        }
        if (i < n) {
            acc = acc.add(expShiftTail(a, off + i, n - i, shift, out, outOff + i));
        }
        return LaneSum.sum(acc);
    }

    /**
     * The last {@code n < V} values of {@link #expShiftSum} through a mask, so that every value comes from the same
     * formula (masked-off lanes are zero after the blend and add nothing). Out of line, so that the caller holds one
     * copy of {@link #exp}; it runs once per row, so the boxing of the returned vector costs little.
     */
    private static FloatVector expShiftTail(float[] a, int off, int n, float shift, float[] out, int outOff) {
        var m = S.indexInRange(0, n);
        FloatVector e = exp(FloatVector.fromArray(S, a, off, m).sub(shift)).blend(0f, m.not());
        e.intoArray(out, outOff, m);
        return e;
    }

    /**
     * e^x lane by lane: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a polynomial, then 2^n. Within 1 ulp of the
     * correctly rounded result (measured against Math.exp over the whole float range that does not round to
     * 0 or overflow).
     */
    static FloatVector exp(FloatVector x) {
        // Clamp by compare and blend: NaN compares false and passes through; -inf becomes EXP_LOW and so 0.
        x = x.blend(EXP_LOW, x.lt(EXP_LOW)).blend(EXP_HIGH, x.compare(VectorOperators.GT, EXP_HIGH));
        FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, MAGIC)); // MAGIC + n
        FloatVector n = t.sub(MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(S, E7), FloatVector.broadcast(S, E6))
                .fma(r, FloatVector.broadcast(S, E5))
                .fma(r, FloatVector.broadcast(S, E4))
                .fma(r, FloatVector.broadcast(S, E3))
                .fma(r, FloatVector.broadcast(S, E2))
                .fma(r, FloatVector.broadcast(S, 1f))
                .fma(r, FloatVector.broadcast(S, 1f));
        // 2^n as 2^floor(n/2) · 2^ceil(n/2), both normal for n in [-150, 128]: a subnormal result (n < -126)
        // or an overflow (n = 128) then rounds once, at the last multiply. The exponent field is built
        // from t's low bits: (n + 254) >> 1 = floor(n/2) + 127.
        IntVector biased = t.reinterpretAsInts().sub(MAGIC_BITS - 254);
        IntVector half = biased.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = biased.sub(half).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }
}
