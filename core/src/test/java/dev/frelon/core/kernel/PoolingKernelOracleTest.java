package dev.frelon.core.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 2×2 max pooling: the plain kernel against hand-picked windows, and the Vector API kernel against the plain one,
 * bit for bit, on every row width from 1 to 37 outputs (one vector, several, ragged ends), odd input sizes, an
 * offset into the storage, and values drawn from a small set so that ties, -0.0 against 0.0 and NaNs are common.
 */
class PoolingKernelOracleTest {

    private static final float[] VALUES = {-1f, 0f, -0f, 1f, 2f, 2f, 3f, Float.NaN, -5f, 7f};

    @Test
    void plainKernelPicksTheFirstMaximumAndTheFirstNaN() {
        // One 2×4 plane, two windows: [1, 3 / 3, 2] -> 3 at (0, 1); [NaN, 5 / NaN, 9] -> the first NaN, at (0, 2).
        float[] x = {1, 3, Float.NaN, 5, 3, 2, Float.NaN, 9};
        float[] out = new float[2];
        int[] arg = new int[2];
        new ScalarPooling().maxPool2x2(x, 0, 2, 4, 1, 2, out, arg, 0, 1);
        assertEquals(3f, out[0]);
        assertEquals(1, arg[0]);
        assertEquals(Float.NaN, out[1]);
        assertEquals(2, arg[1]);
        // -0.0 first, then 0.0: equal maxima, the first wins and keeps its sign.
        float[] z = {-0f, 0f, -1f, -2f};
        new ScalarPooling().maxPool2x2(z, 0, 2, 2, 1, 1, out, arg, 0, 1);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[0]));
        assertEquals(0, arg[0]);
    }

    @Test
    void vectorKernelEqualsPlainKernelBitForBit() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        Assumptions.assumeFalse(PoolingKernels.CHOSEN instanceof ScalarPooling, "plain kernels on " + Isa.current());
        PoolingKernels v = Kernels.vectorImplementation(PoolingKernels.class), s = new ScalarPooling();
        SplittableRandom r = new SplittableRandom(31);
        for (int ow = 1; ow <= 37; ow++) {
            for (int oh = 1; oh <= 3; oh++) {
                for (int extra = 0; extra < 2; extra++) {
                    int w = 2 * ow + extra, h = 2 * oh + extra, planes = 3, off = r.nextInt(5);
                    float[] x = new float[off + planes * h * w];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = r.nextInt(8) == 0 ? VALUES[r.nextInt(VALUES.length)] : (float) r.nextGaussian();
                        if (r.nextInt(3) == 0) {
                            x[i] = VALUES[r.nextInt(VALUES.length - 3)];
                        }
                    }
                    int n = planes * oh * ow;
                    float[] outS = new float[n], outV = new float[n];
                    int[] argS = new int[n], argV = new int[n];
                    Arrays.fill(argV, -7);
                    s.maxPool2x2(x, off, h, w, oh, ow, outS, argS, 0, planes);
                    // Planes in two calls, as the pool splits them.
                    v.maxPool2x2(x, off, h, w, oh, ow, outV, argV, 0, 1);
                    v.maxPool2x2(x, off, h, w, oh, ow, outV, argV, 1, planes);
                    String what = "ow " + ow + " oh " + oh + " w " + w + " h " + h;
                    assertArrayEquals(argS, argV, what + ": positions");
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToRawIntBits(outS[i]), Float.floatToRawIntBits(outV[i]),
                                what + ": value " + i + " (" + outS[i] + " vs " + outV[i] + ")");
                    }
                }
            }
        }
    }
}
