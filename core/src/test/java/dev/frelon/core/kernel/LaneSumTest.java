package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link LaneSum} adds lanes in one documented order (lane i with lane i ^ V/2, then i ^ V/4, ... i ^ 1), so its
 * result is the same float in every JIT tier; this checks that order bit for bit against scalar float adds, on
 * values whose sum depends on the order.
 */
class LaneSumTest {

    @Test
    void sumsByHalvingInAFixedOrder() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        int v = VectorWidth.SPECIES.length();
        SplittableRandom r = new SplittableRandom(41);
        for (int trial = 0; trial < 1000; trial++) {
            float[] lanes = new float[v];
            for (int i = 0; i < v; i++) {
                // Magnitudes from 1e-6 to 1e6: a different order rounds differently.
                lanes[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(13) - 6));
            }
            float[] l = lanes.clone();
            for (int d = v / 2; d >= 1; d /= 2) {
                float[] next = new float[v];
                for (int i = 0; i < v; i++) {
                    next[i] = l[i] + l[i ^ d];
                }
                l = next;
            }
            float got = LaneSum.sum(FloatVector.fromArray(VectorWidth.SPECIES, lanes, 0));
            assertEquals(Float.floatToRawIntBits(l[0]), Float.floatToRawIntBits(got), "trial " + trial);
            // The stored lanes, summed in scalar code, at an offset: the same bits.
            float[] stored = new float[v + 3];
            System.arraycopy(lanes, 0, stored, 3, v);
            assertEquals(Float.floatToRawIntBits(l[0]), Float.floatToRawIntBits(LaneSum.sum(stored, 3)),
                    "stored, trial " + trial);
        }
    }
}
