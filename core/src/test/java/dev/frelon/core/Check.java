package dev.frelon.core;

import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions and small reference computations shared by the core tests (not a test class itself). */
final class Check {
    private Check() {
    }

    /** Asserts shape and exact values (NaN equals NaN, 0.0 equals -0.0). */
    static void exact(Tensor t, int[] shape, float... values) {
        assertArrayEquals(shape, t.shape(), () -> "shape of " + t);
        float[] got = t.toArray();
        assertEquals(values.length, got.length, "element count");
        for (int i = 0; i < values.length; i++) {
            float e = values[i], g = got[i];
            if (!(Float.isNaN(e) && Float.isNaN(g)) && e != g) {
                fail("element " + i + ": expected " + e + " but got " + g + " in " + t);
            }
        }
    }

    /** Asserts shape and values within {@code |g - e| <= atol + rtol * |e|}; NaN must match NaN. */
    static void close(Tensor t, int[] shape, double rtol, double atol, double... values) {
        assertArrayEquals(shape, t.shape(), () -> "shape of " + t);
        close(t.toArray(), values, rtol, atol);
    }

    static void close(float[] got, double[] expected, double rtol, double atol) {
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], g = got[i];
            if (Double.isNaN(e) || Double.isNaN(g)) {
                assertTrue(Double.isNaN(e) && Double.isNaN(g), "element " + i + ": expected " + e + " but got " + g);
                continue;
            }
            if (Double.isInfinite(e) || Double.isInfinite(g)) {
                assertEquals(e, g, 0.0, "element " + i);
                continue;
            }
            if (!(Math.abs(g - e) <= atol + rtol * Math.abs(e))) {
                fail("element " + i + ": expected " + e + " but got " + g + " (diff " + Math.abs(g - e) + ")");
            }
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static int[] shape(int... s) {
        return s;
    }

    /** Expects exactly an IllegalArgumentException whose message contains every fragment. */
    static IllegalArgumentException iae(Executable e, String... fragments) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertEquals(IllegalArgumentException.class, x.getClass(), "exception type");
        contains(x, fragments);
        return x;
    }

    /** Expects exactly an IndexOutOfBoundsException (never ArrayIndexOutOfBoundsException) naming every fragment. */
    static IndexOutOfBoundsException ioobe(Executable e, String... fragments) {
        IndexOutOfBoundsException x = assertThrows(IndexOutOfBoundsException.class, e);
        assertEquals(IndexOutOfBoundsException.class, x.getClass(), () -> "exception type: " + x);
        contains(x, fragments);
        return x;
    }

    private static void contains(Throwable x, String... fragments) {
        for (String f : fragments) {
            assertTrue(x.getMessage() != null && x.getMessage().contains(f),
                    () -> "message \"" + x.getMessage() + "\" should contain \"" + f + "\"");
        }
    }

    /** Random floats with a fixed seed. */
    static Tensor random(long seed, int... shape) {
        return Tensor.uniform(new Rng(seed), -2f, 2f, shape);
    }

    /** Row-major multi-index of a flat position. */
    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /** Reads element {@code idx} of {@code t} as NumPy broadcasting would when t is aligned to a larger shape. */
    static float broadcastGet(Tensor t, int[] outIdx) {
        int[] s = t.shape();
        int lead = outIdx.length - s.length;
        int[] idx = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            idx[d] = s[d] == 1 ? 0 : outIdx[lead + d];
        }
        return t.get(idx);
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Builds a tensor of a shape from a function of the multi-index. */
    static Tensor build(int[] shape, java.util.function.ToDoubleFunction<int[]> f) {
        float[] v = new float[numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) f.applyAsDouble(unravel(i, shape));
        }
        return Tensor.of(v, shape.length == 0 ? new int[0] : shape).reshape(shape);
    }

    static String str(int[] s) {
        return Arrays.toString(s);
    }

    /** Layouts of the same logical values: dense, transposed storage, strided storage, offset storage. */
    static Tensor[] layouts(Tensor dense) {
        int[] s = dense.shape();
        Tensor[] out = new Tensor[4];
        out[0] = dense.copy();
        if (s.length == 0) {
            out[1] = dense.copy();
            out[2] = dense.unsqueeze(0).expand(3).select(0, 1);
            out[3] = Tensor.of(new float[] {Float.NaN, dense.item()}).select(0, 1);
            return out;
        }
        if (s.length >= 2) {
            // Stored transposed: build the transposed dense tensor and view it back.
            out[1] = dense.mT().copy().mT();
        } else if (s.length == 1) {
            // A 1-d tensor cannot be transposed: use stride 3 at offset 1 instead.
            Tensor big = Tensor.full(Float.NaN, 3 * s[0] + 1);
            out[1] = big.slice(0, 1, Integer.MAX_VALUE, 3);
            out[1].copyFrom(dense);
        }
        // Every other element of a doubled last dim.
        int[] doubled = s.clone();
        doubled[s.length - 1] *= 2;
        Tensor big = Tensor.full(Float.NaN, doubled);
        Tensor strided = big.slice(-1, 1, Integer.MAX_VALUE, 2);
        strided.copyFrom(dense);
        out[2] = strided;
        // Same values at a non-zero offset, with a narrowed first dim.
        int[] taller = s.clone();
        taller[0] += 3;
        Tensor tall = Tensor.full(Float.NaN, taller);
        Tensor narrowed = tall.narrow(0, 2, s[0]);
        narrowed.copyFrom(dense);
        out[3] = narrowed;
        return out;
    }

    static final IntFunction<String> LAYOUT = i -> switch (i) {
        case 0 -> "dense";
        case 1 -> "transposed";
        case 2 -> "strided";
        default -> "offset";
    };
}
