package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dev.frelon.core.kernel.VectorWidth.FMA;

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
                c0 = FMA ? c0.fma(m, d) : c0.mul(m).add(d);
                c1 = FMA ? c1.fma(m, d) : c1.mul(m).add(d);
                c2 = FMA ? c2.fma(m, d) : c2.mul(m).add(d);
                c3 = FMA ? c3.fma(m, d) : c3.mul(m).add(d);
                c4 = FMA ? c4.fma(m, d) : c4.mul(m).add(d);
                c5 = FMA ? c5.fma(m, d) : c5.mul(m).add(d);
                c6 = FMA ? c6.fma(m, d) : c6.mul(m).add(d);
                c7 = FMA ? c7.fma(m, d) : c7.mul(m).add(d);
                c8 = FMA ? c8.fma(m, d) : c8.mul(m).add(d);
                c9 = FMA ? c9.fma(m, d) : c9.mul(m).add(d);
                c10 = FMA ? c10.fma(m, d) : c10.mul(m).add(d);
                c11 = FMA ? c11.fma(m, d) : c11.mul(m).add(d);
                c12 = FMA ? c12.fma(m, d) : c12.mul(m).add(d);
                c13 = FMA ? c13.fma(m, d) : c13.mul(m).add(d);
                c14 = FMA ? c14.fma(m, d) : c14.mul(m).add(d);
                c15 = FMA ? c15.fma(m, d) : c15.mul(m).add(d);
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
            FloatVector vb = FloatVector.fromArray(S, b, i), va = FloatVector.fromArray(S, a, i);
            (FMA ? vb.fma(vs, va) : vb.mul(vs).add(va)).intoArray(dst, i);
        }
        for (; i < to; i++) {
            dst[i] = a[i] + s * b[i];
        }
    }
}
