package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API calibration loops: twelve independent vector FMA chains, and a SIMD triad. */
final class VectorCalibration implements Calibration.Loops {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;

    @Override
    public float fma(long iterations) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f), d = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = FloatVector.broadcast(S, 2f), c2 = FloatVector.broadcast(S, 3f);
        FloatVector c3 = FloatVector.broadcast(S, 4f), c4 = FloatVector.broadcast(S, 5f), c5 = FloatVector.broadcast(S, 6f);
        FloatVector c6 = FloatVector.broadcast(S, 7f), c7 = FloatVector.broadcast(S, 8f), c8 = FloatVector.broadcast(S, 9f);
        FloatVector c9 = FloatVector.broadcast(S, 10f), c10 = FloatVector.broadcast(S, 11f), c11 = FloatVector.broadcast(S, 12f);
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(m, d); c1 = c1.fma(m, d); c2 = c2.fma(m, d); c3 = c3.fma(m, d);
            c4 = c4.fma(m, d); c5 = c5.fma(m, d); c6 = c6.fma(m, d); c7 = c7.fma(m, d);
            c8 = c8.fma(m, d); c9 = c9.fma(m, d); c10 = c10.fma(m, d); c11 = c11.fma(m, d);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        return LaneSum.sum(s);
    }

    @Override
    public long flopsPerIteration() {
        return 12L * 2 * S.length();
    }

    @Override
    public void triad(float[] a, float[] b, float[] dst, float s, int from, int to) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = from;
        int bound = from + S.loopBound(to - from);
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, b, i).fma(vs, FloatVector.fromArray(S, a, i)).intoArray(dst, i);
        }
        for (; i < to; i++) {
            dst[i] = a[i] + s * b[i];
        }
    }
}
