package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dev.frelon.core.kernel.VectorWidth.madd;

/**
 * Vector API calibration loops: sixteen independent vector FMA chains, and a SIMD triad.
 *
 * <p>Sixteen chains cover the FMA latency times the FMA pipes of every processor Frelon targets (4 cycles × 2 pipes
 * on Intel and AMD x86, 4 × 4 on Apple's cores), and still fit in 16 registers with the two shared operands read from
 * memory. Measured on an AMD EPYC (Zen 5) at 3.6 GHz: 231 GFLOPS at 512 bits (the 2 × 16 × 2 × 3.6 limit) with 8,
 * 12 or 16 chains; at 256 bits with 16 registers ({@code -XX:UseAVX=2}) 90, 100 and 114 with 8, 12 and 16 chains,
 * so fewer chains would understate the peak there; 20 and more spill registers.
 */
final class VectorCalibration implements Calibration.Loops {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final int CHAINS = 16;

    @Override
    public float fma(long iterations) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f), d = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = FloatVector.broadcast(S, 2f), c2 = FloatVector.broadcast(S, 3f);
        FloatVector c3 = FloatVector.broadcast(S, 4f), c4 = FloatVector.broadcast(S, 5f), c5 = FloatVector.broadcast(S, 6f);
        FloatVector c6 = FloatVector.broadcast(S, 7f), c7 = FloatVector.broadcast(S, 8f), c8 = FloatVector.broadcast(S, 9f);
        FloatVector c9 = FloatVector.broadcast(S, 10f), c10 = FloatVector.broadcast(S, 11f), c11 = FloatVector.broadcast(S, 12f);
        FloatVector c12 = FloatVector.broadcast(S, 13f), c13 = FloatVector.broadcast(S, 14f);
        FloatVector c14 = FloatVector.broadcast(S, 15f), c15 = FloatVector.broadcast(S, 16f);
        // An int loop inside a long one: C2 unrolls counted int loops, and long ones only after splitting them.
        for (long done = 0; done < iterations; ) {
            int step = (int) Math.min(iterations - done, 1 << 20);
            for (int i = 0; i < step; i++) {
                c0 = madd(c0, m, d); c1 = madd(c1, m, d); c2 = madd(c2, m, d); c3 = madd(c3, m, d);
                c4 = madd(c4, m, d); c5 = madd(c5, m, d); c6 = madd(c6, m, d); c7 = madd(c7, m, d);
                c8 = madd(c8, m, d); c9 = madd(c9, m, d); c10 = madd(c10, m, d); c11 = madd(c11, m, d);
                c12 = madd(c12, m, d); c13 = madd(c13, m, d); c14 = madd(c14, m, d); c15 = madd(c15, m, d);
            }
            done += step;
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15);
        return LaneSum.sum(s);
    }

    @Override
    public long flopsPerIteration() {
        return (long) CHAINS * 2 * S.length();
    }

    @Override
    public void triad(float[] a, float[] b, float[] dst, float s, int from, int to) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = from;
        int bound = from + S.loopBound(to - from);
        for (; i < bound; i += S.length()) {
            madd(FloatVector.fromArray(S, b, i), vs, FloatVector.fromArray(S, a, i)).intoArray(dst, i);
        }
        for (; i < to; i++) {
            dst[i] = a[i] + s * b[i];
        }
    }
}
