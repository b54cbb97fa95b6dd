package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order, by halving: lane i adds lane i ^ V/2, then i ^ V/4, down to
 * i ^ 1. {@code reduceLanes(ADD)} leaves the order of a float sum to the implementation, and the interpreter,
 * C1 and C2 do differ: a kernel that used it gave different bits before and after the JIT compiled it, so that
 * the same seeded training run ended with a different model from one run to the next.
 */
final class LaneSum {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final int V = S.length();
    // Lane i takes lane i ^ d; constants, so that C2 folds them into the permutes.
    private static final VectorShuffle<Float> SWAP8 = VectorShuffle.fromOp(S, i -> (i ^ 8) % V);
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S, i -> (i ^ 4) % V);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, i -> i ^ 1);

    private LaneSum() {
    }

    /**
     * Written as small methods (each under C2's 35-byte limit for inlining at any call site), since a vector passed
     * to a call that is not inlined is boxed.
     *
     * @param v a vector of the kernels' species (4, 8 or 16 lanes)
     * @return the sum of its lanes, the same bits in every JIT tier
     */
    static float sum(FloatVector v) {
        return V >= 16 ? sum16(v) : V == 8 ? sum8(v) : sum4(v);
    }

    /**
     * The same sum, in the same order, of V lanes stored in an array: for kernels that reduce many accumulators at
     * once, whose vector lane sums would not all be inlined (see {@link #sum(FloatVector)}). Overwrites the lanes.
     *
     * @param lanes storage holding the V lanes at {@code off} (modified)
     * @param off offset of lane 0
     * @return the sum of the lanes, the same bits as {@link #sum(FloatVector)} of the vector they came from
     */
    static float sum(float[] lanes, int off) {
        for (int h = V / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) {
                lanes[off + i] += lanes[off + i + h];
            }
        }
        return lanes[off];
    }

    private static float sum16(FloatVector v) {
        return sum8(fold(v, SWAP8));
    }

    private static float sum8(FloatVector v) {
        return sum4(fold(v, SWAP4));
    }

    private static float sum4(FloatVector v) {
        return fold(fold(v, SWAP2), SWAP1).lane(0);
    }

    private static FloatVector fold(FloatVector v, VectorShuffle<Float> swap) {
        return v.add(v.rearrange(swap));
    }
}
