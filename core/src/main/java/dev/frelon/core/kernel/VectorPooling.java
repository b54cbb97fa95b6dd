package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API pooling: V outputs of a row at a time (masked at the row's end, so that LeNet's 14-wide rows take
 * one step). The 2V inputs of each input row are split into even and odd columns by two-vector shuffles; the
 * window position is chosen by blends in the same priority order as {@link ScalarPooling}.
 */
final class VectorPooling implements PoolingKernels {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int V = S.length();
    /** Lane l takes lane 2l of the pair (v0, v1): indices past V select from v1. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, l -> 2 * l);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, l -> 2 * l + 1);

    @Override
    public void maxPool2x2(float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int[] arg, int lo, int hi) {
        IntVector iota2 = IntVector.zero(I).addIndex(2);
        // Column blocks outermost, so that the masks of a block (all-true but at a row's ragged end) are built once
        // for all the rows of all the planes.
        for (int j = 0; j < ow; j += V) {
            int q = 2 * j, cols = 2 * Math.min(V, ow - j);
            VectorMask<Float> m0 = S.indexInRange(0, cols), m1 = S.indexInRange(V, cols), mo = S.indexInRange(j, ow);
            VectorMask<Integer> moi = mo.cast(I);
            IntVector columns = iota2.add(q);
            for (int p = lo; p < hi; p++) {
                int in = xOff + p * h * w, ob = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = in + 2 * i * w + q, r1 = r0 + w, o = ob + i * ow + j;
                    FloatVector a0, a1, c0, c1;
                    if (r1 + 2 * V <= x.length) {
                        // Whole vectors: lanes past the window are read from the next row or plane and dropped by
                        // the output mask (masked loads are much slower than plain ones).
                        a0 = FloatVector.fromArray(S, x, r0);
                        a1 = FloatVector.fromArray(S, x, r0 + V);
                        c0 = FloatVector.fromArray(S, x, r1);
                        c1 = FloatVector.fromArray(S, x, r1 + V);
                    } else {
                        a0 = FloatVector.fromArray(S, x, r0, m0);
                        a1 = FloatVector.fromArray(S, x, r0 + V, m1);
                        c0 = FloatVector.fromArray(S, x, r1, m0);
                        c1 = FloatVector.fromArray(S, x, r1 + V, m1);
                    }
                    FloatVector a = a0.rearrange(EVEN, a1), b = a0.rearrange(ODD, a1);
                    FloatVector c = c0.rearrange(EVEN, c1), d = c0.rearrange(ODD, c1);
                    FloatVector best = a.max(b).max(c.max(d)); // NaN if any is NaN
                    // Priority a, b, c, d: apply the choices from the last to the first.
                    VectorMask<Float> ea = a.eq(best).or(a.test(VectorOperators.IS_NAN));
                    VectorMask<Float> eb = b.eq(best).or(b.test(VectorOperators.IS_NAN));
                    VectorMask<Float> ec = c.eq(best).or(c.test(VectorOperators.IS_NAN));
                    FloatVector value = d.blend(c, ec).blend(b, eb).blend(a, ea);
                    IntVector k = IntVector.broadcast(I, 3).blend(2, ec.cast(I)).blend(1, eb.cast(I)).blend(0, ea.cast(I));
                    // Position (2i + k/2)·w + 2(j + l) + k%2.
                    IntVector pos = k.lanewise(VectorOperators.ASHR, 1).add(2 * i).mul(w).add(columns).add(k.and(1));
                    value.intoArray(out, o, mo);
                    pos.intoArray(arg, o, moi);
                }
            }
        }
    }
}
