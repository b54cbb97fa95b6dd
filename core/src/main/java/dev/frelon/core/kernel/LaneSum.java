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
    static final VectorShuffle<Float> SWAP8 = VectorShuffle.fromOp(S, i -> (i ^ 8) % V);
    static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S, i -> i ^ 4);
    static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, i -> i ^ 2);
    static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, i -> i ^ 1);

    private LaneSum() {
    }

    /**
     * Too large for C2 to inline at a call site it does not count as hot (a vector passed to a call that is not
     * inlined is boxed): a kernel that sums once per row spells the four steps out instead.
     *
     * @param v a vector of the kernels' species (4, 8 or 16 lanes)
     * @return the sum of its lanes, the same bits in every JIT tier
     */
    static float sum(FloatVector v) {
        if (V >= 16) {
            v = v.add(v.rearrange(SWAP8));
        }
        if (V >= 8) {
            v = v.add(v.rearrange(SWAP4));
        }
        v = v.add(v.rearrange(SWAP2));
        v = v.add(v.rearrange(SWAP1));
        return v.lane(0);
    }
}
