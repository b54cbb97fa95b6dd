package dev.frelon.core;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.frelon.core.Check.exact;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.ioobe;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorCreationTest {

    @Test
    void zerosOnesAndFullAreDenseAndFilled() {
        Tensor z = Tensor.zeros(2, 3);
        exact(z, shape(2, 3), 0, 0, 0, 0, 0, 0);
        assertArrayEquals(new int[] {3, 1}, TensorStorage.strides(z));
        assertEquals(0, TensorStorage.offset(z));
        assertEquals(2, z.dim());
        assertEquals(6, z.numel());
        assertEquals(2, z.size(0));
        assertEquals(3, z.size(-1));
        assertTrue(z.isContiguous());
        assertEquals(0, z.version());
        exact(Tensor.ones(4), shape(4), 1, 1, 1, 1);
        exact(Tensor.full(2.5f, 2, 1), shape(2, 1), 2.5f, 2.5f);
        exact(Tensor.full(Float.NaN, 2), shape(2), Float.NaN, Float.NaN);
        exact(Tensor.full(-0f, 1), shape(1), -0f);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Tensor.full(-0f, 1).item()));
    }

    @Test
    void shapeAndStridesAreDefensiveCopies() {
        Tensor t = Tensor.zeros(2, 3);
        t.shape()[0] = 99;
        TensorStorage.strides(t)[0] = 99;
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new int[] {3, 1}, TensorStorage.strides(t));
        int[] s = {2, 2};
        Tensor u = Tensor.zeros(s);
        s[0] = 5;
        assertArrayEquals(new int[] {2, 2}, u.shape(), "the factory must not keep the caller's array");
    }

    @Test
    void zeroDimensionalTensors() {
        Tensor s = Tensor.scalar(7f);
        assertEquals(0, s.dim());
        assertArrayEquals(new int[0], s.shape());
        assertArrayEquals(new int[0], TensorStorage.strides(s));
        assertEquals(1, s.numel());
        assertEquals(7f, s.item());
        assertEquals(7f, s.get());
        s.set(3f);
        assertEquals(3f, s.item());
        assertArrayEquals(new float[] {3f}, s.toArray());
        exact(Tensor.zeros(), shape(), 0f);
        exact(Tensor.ones(), shape(), 1f);
        exact(Tensor.full(4f), shape(), 4f);
        assertTrue(s.isContiguous());
        // Tensor.of with no dims gives 1-d, not 0-d.
        exact(Tensor.of(new float[] {5f}), shape(1), 5f);
        exact(Tensor.of(new float[] {5f}).reshape(), shape(), 5f);
    }

    @Test
    void sizeZeroDims() {
        Tensor e = Tensor.zeros(0, 3);
        assertArrayEquals(new int[] {0, 3}, e.shape());
        assertEquals(0, e.numel());
        assertEquals(0, e.toArray().length);
        assertTrue(e.isContiguous());
        Tensor e2 = Tensor.zeros(3, 0);
        assertEquals(0, e2.numel());
        assertTrue(e2.isContiguous(), "a freshly created empty tensor is dense");
        assertTrue(e2.contiguous() == e2);
        exact(Tensor.ones(2, 0, 4), shape(2, 0, 4));
        exact(Tensor.of(new float[0], 0, 5), shape(0, 5));
        exact(Tensor.of(new float[0][]), shape(0, 0));
    }

    @Test
    void ofCopiesAndWrapShares() {
        float[] src = {1, 2, 3, 4, 5, 6};
        Tensor copied = Tensor.of(src, 2, 3);
        Tensor wrapped = Tensor.wrap(src, 3, 2);
        assertEquals(6f, copied.get(1, 2));
        assertEquals(4f, wrapped.get(1, 1));
        src[0] = 100f;
        assertEquals(1f, copied.get(0, 0), "of copies its input");
        assertEquals(100f, wrapped.get(0, 0), "wrap uses the array as storage");
        wrapped.set(-1f, 2, 1);
        assertEquals(-1f, src[5]);
        assertTrue(TensorStorage.array(wrapped) == src);
        exact(Tensor.of(new float[] {1, 2, 3}), shape(3), 1, 2, 3);
        exact(Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}}), shape(3, 2), 1, 2, 3, 4, 5, 6);
    }

    @Test
    void ofAndWrapRejectWrongSizes() {
        iae(() -> Tensor.of(new float[5], 2, 3), "Tensor.of: 5 values do not fill shape [2, 3] (6 elements expected)");
        iae(() -> Tensor.wrap(new float[7], 2, 3), "Tensor.wrap: 7 values do not fill shape [2, 3] (6 elements expected)");
        iae(() -> Tensor.of(new float[][] {{1, 2}, {3}}), "Tensor.of: row 1 has 1 values, row 0 has 2");
        iae(() -> Tensor.of(new float[6], 2, -3), "Tensor.of", "negative dimension", "[2, -3]");
        iae(() -> Tensor.zeros(-1), "zeros: negative dimension in shape [-1]");
        iae(() -> Tensor.full(1f, 2, -3), "full: negative dimension in shape [2, -3]");
        iae(() -> Tensor.zeros(1 << 16, 1 << 16), "zeros: shape [65536, 65536] has more than 2147483639 elements, the limit of one tensor");
    }

    @Test
    void arangeMatchesNumPy() {
        exact(Tensor.arange(5), shape(5), 0, 1, 2, 3, 4);
        exact(Tensor.arange(1, 2, 0.25f), shape(4), 1f, 1.25f, 1.5f, 1.75f);
        exact(Tensor.arange(5, 0, -2), shape(3), 5, 3, 1);
        exact(Tensor.arange(3, 3, 1), shape(0));
        exact(Tensor.arange(3, 0, 1), shape(0));
        exact(Tensor.arange(0), shape(0));
        exact(Tensor.arange(-1.5f, 1f, 1f), shape(3), -1.5f, -0.5f, 0.5f);
        // np.arange(0, 1, 0.1) has 10 values, the last 0.9 (up to rounding).
        Tensor t = Tensor.arange(0, 1, 0.1f);
        assertEquals(10, t.numel());
        assertEquals(0.9f, t.get(9), 1e-6f);
        iae(() -> Tensor.arange(0, 1, 0), "arange: start, end and step must be finite and step non-zero, got 0.0, 1.0, 0.0");
        iae(() -> Tensor.arange(0, Float.POSITIVE_INFINITY, 1), "arange", "Infinity");
        iae(() -> Tensor.arange(Float.NaN, 1, 1), "arange", "NaN");
    }

    @Test
    void linspaceIncludesBothEnds() {
        exact(Tensor.linspace(0, 1, 5), shape(5), 0f, 0.25f, 0.5f, 0.75f, 1f);
        exact(Tensor.linspace(-1, 1, 3), shape(3), -1, 0, 1);
        exact(Tensor.linspace(3, -3, 4), shape(4), 3, 1, -1, -3);
        exact(Tensor.linspace(2, 9, 1), shape(1), 2);
        exact(Tensor.linspace(2, 9, 0), shape(0));
        Tensor l = Tensor.linspace(0.1f, 0.7f, 7);
        assertEquals(0.7f, l.get(6), "the end is exact");
        assertEquals(0.4f, l.get(3), 1e-7f);
        iae(() -> Tensor.linspace(0, 1, -1), "linspace: steps must be >= 0, got -1");
    }

    @Test
    void eyeIsTheIdentity() {
        Tensor e = Tensor.eye(3);
        exact(e, shape(3, 3), 1, 0, 0, 0, 1, 0, 0, 0, 1);
        exact(Tensor.eye(0), shape(0, 0));
        exact(Tensor.eye(1), shape(1, 1), 1);
        Tensor a = Check.random(3, 3, 3);
        assertEquals(a, a.matmul(e));
        iae(() -> Tensor.eye(-1), "eye: n must be >= 0, got -1");
        iae(() -> Tensor.eye(1 << 16), "eye: shape [65536, 65536] has more than 2147483639 elements");
    }

    @Test
    void sameSeedGivesIdenticalTensors() {
        assertEquals(Tensor.rand(new int[] {3, 5}, 42), Tensor.rand(new int[] {3, 5}, 42));
        assertEquals(Tensor.randn(new int[] {7}, 42), Tensor.randn(new int[] {7}, 42));
        assertEquals(Tensor.rand(new Rng(9), 4), Tensor.rand(new int[] {4}, 9));
        assertEquals(Tensor.randn(new Rng(9), 4), Tensor.randn(new int[] {4}, 9));
        assertEquals(Tensor.uniform(new Rng(1), -3, 5, 10), Tensor.uniform(new Rng(1), -3, 5, 10));
        assertEquals(Tensor.normal(new Rng(1), 2, 3, 10), Tensor.normal(new Rng(1), 2, 3, 10));
        assertEquals(Tensor.bernoulli(new Rng(1), 0.4f, 50), Tensor.bernoulli(new Rng(1), 0.4f, 50));
        assertNotEquals(Tensor.rand(new int[] {100}, 42), Tensor.rand(new int[] {100}, 43));
        assertNotEquals(Tensor.randn(new int[] {100}, 42), Tensor.randn(new int[] {100}, 43));
        // One generator advances: two draws from it differ.
        Rng r = new Rng(5);
        assertNotEquals(Tensor.rand(r, 10), Tensor.rand(r, 10));
    }

    @Test
    void randIsUniformOnTheUnitInterval() {
        float[] v = Tensor.rand(new int[] {100_000}, 7).toArray();
        double sum = 0, sq = 0;
        for (float x : v) {
            assertTrue(x >= 0f && x < 1f, "rand value " + x);
            sum += x;
            sq += x * (double) x;
        }
        double mean = sum / v.length;
        double var = sq / v.length - mean * mean;
        assertEquals(0.5, mean, 0.005);
        assertEquals(1.0 / 12, var, 0.002);
    }

    @Test
    void uniformStaysInItsInterval() {
        float[] v = Tensor.uniform(new Rng(11), -2f, 3f, 10_000).toArray();
        double sum = 0;
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float x : v) {
            assertTrue(x >= -2f && x < 3f, "uniform value " + x);
            sum += x;
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        assertEquals(0.5, sum / v.length, 0.06);
        assertTrue(lo < -1.99f && hi > 2.99f, "the samples fill the interval: " + lo + " .. " + hi);
    }

    @Test
    void normalSamplesHaveTheRequestedMoments() {
        float[] v = Tensor.randn(new int[] {100_000}, 2024).toArray();
        org.apache.commons.math3.stat.descriptive.DescriptiveStatistics st =
                new org.apache.commons.math3.stat.descriptive.DescriptiveStatistics(Check.toDouble(v));
        assertEquals(0.0, st.getMean(), 0.015);
        assertEquals(1.0, st.getStandardDeviation(), 0.01);
        assertEquals(0.0, st.getSkewness(), 0.05);
        // About 68.27% within one standard deviation.
        long within = Arrays.stream(Check.toDouble(v)).filter(x -> Math.abs(x) < 1).count();
        assertEquals(0.6827, within / 100_000.0, 0.01);

        float[] w = Tensor.normal(new Rng(3), 3f, 2f, 100_000).toArray();
        org.apache.commons.math3.stat.descriptive.DescriptiveStatistics sw =
                new org.apache.commons.math3.stat.descriptive.DescriptiveStatistics(Check.toDouble(w));
        assertEquals(3.0, sw.getMean(), 0.03);
        assertEquals(2.0, sw.getStandardDeviation(), 0.02);

        exact(Tensor.normal(new Rng(3), 1.5f, 0f, 3), shape(3), 1.5f, 1.5f, 1.5f);
        iae(() -> Tensor.normal(new Rng(1), 0f, -1f, 3), "normal: std must be >= 0, got -1.0");
        iae(() -> Tensor.normal(new Rng(1), 0f, Float.NaN, 3), "normal: std must be >= 0, got NaN");
    }

    @Test
    void bernoulliGivesAZeroOneMask() {
        float[] v = Tensor.bernoulli(new Rng(8), 0.3f, 100_000).toArray();
        double ones = 0;
        for (float x : v) {
            assertTrue(x == 0f || x == 1f, "bernoulli value " + x);
            ones += x;
        }
        assertEquals(0.3, ones / v.length, 0.006);
        assertEquals(0f, Tensor.bernoulli(new Rng(8), 0f, 1000).sum().item());
        assertEquals(1000f, Tensor.bernoulli(new Rng(8), 1f, 1000).sum().item());
        iae(() -> Tensor.bernoulli(new Rng(1), 1.5f, 3), "bernoulli: p must be in [0, 1], got 1.5");
        iae(() -> Tensor.bernoulli(new Rng(1), -0.1f, 3), "bernoulli: p must be in [0, 1], got -0.1");
        iae(() -> Tensor.bernoulli(new Rng(1), Float.NaN, 3), "bernoulli: p must be in [0, 1], got NaN");
    }

    @Test
    void factoriesNameThemselvesWhenAShapeIsRefused() {
        // They used to report the zeros() or full() they call.
        iae(() -> Tensor.ones(3, -1), "ones: negative dimension in shape [3, -1]");
        iae(() -> Tensor.rand(new Rng(1), 2, -1), "rand: negative dimension in shape [2, -1]");
        iae(() -> Tensor.rand(new int[] {-3}, 1), "rand: negative dimension in shape [-3]");
        iae(() -> Tensor.uniform(new Rng(1), 0f, 1f, -1), "uniform: negative dimension in shape [-1]");
        iae(() -> Tensor.randn(new int[] {1 << 16, 1 << 16}, 1), "randn: shape [65536, 65536] has more than 2147483639");
        iae(() -> Tensor.normal(new Rng(1), 0f, 1f, 4, -2), "normal: negative dimension in shape [4, -2]");
        iae(() -> Tensor.bernoulli(new Rng(1), 0.5f, -1), "bernoulli: negative dimension in shape [-1]");
        iae(() -> Tensor.oneHot(Tensor.of(new float[] {1, 0}), Integer.MAX_VALUE), "oneHot: shape [2, 2147483647] has more than");
    }

    @Test
    void randomFactoriesAcceptEmptyAndZeroDimShapes() {
        exact(Tensor.rand(new int[] {0, 4}, 1), shape(0, 4));
        Tensor s = Tensor.randn(new int[0], 1);
        assertEquals(0, s.dim());
        assertTrue(Float.isFinite(s.item()));
    }

    @Test
    void rngIsDeterministicAndChecksItsArguments() {
        Rng a = new Rng(123), b = new Rng(123);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
            float f = a.nextFloat();
            assertEquals(f, b.nextFloat());
            assertTrue(f >= 0f && f < 1f);
            int k = a.nextInt(7);
            assertEquals(k, b.nextInt(7));
            assertTrue(k >= 0 && k < 7);
            assertEquals(a.nextGaussian(), b.nextGaussian());
        }
        int[] p = new Rng(4).permutation(50);
        assertArrayEquals(new Rng(4).permutation(50), p);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(p, sorted), "a permutation of 50 from a fixed seed is not the identity");
        int[] s = {5, 6, 7, 8};
        new Rng(1).shuffle(s);
        Arrays.sort(s);
        assertArrayEquals(new int[] {5, 6, 7, 8}, s);
        iae(() -> new Rng(1).nextInt(0), "Rng.nextInt: bound must be positive, got 0");
    }

    @Test
    void copySharesNothing() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        Tensor c = a.copy();
        assertFalse(c.sharesStorageWith(a));
        assertEquals(a, c);
        c.set(100f, 0, 0);
        assertEquals(0f, a.get(0, 0));
        Tensor ct = a.t().copy();
        assertTrue(ct.isContiguous());
        exact(ct, shape(3, 2), 0, 3, 1, 4, 2, 5);
    }

    @Test
    void accessorsCheckTheirIndices() {
        Tensor t = Tensor.arange(6).reshape(2, 3);
        assertEquals(5f, t.get(-1, -1));
        assertEquals(3f, t.get(1, 0));
        iae(() -> t.get(0), "get: 1 indices for a tensor of rank 2 (shape [2, 3])");
        iae(() -> t.set(1f, 0, 0, 0), "set: 3 indices for a tensor of rank 2 (shape [2, 3])");
        ioobe(() -> t.get(2, 0), "get: index 2 is out of range for dim 0 of size 2 (shape [2, 3])");
        ioobe(() -> t.get(0, -4), "get: index -4 is out of range for dim 1 of size 3 (shape [2, 3])");
        ioobe(() -> t.set(1f, 0, 3), "set: index 3 is out of range for dim 1 of size 3");
        ioobe(() -> t.size(2), "size: dim 2 is out of range for a tensor of rank 2 (expected -2 <= dim < 2)");
        ioobe(() -> t.size(-3), "size: dim -3 is out of range");
        iae(() -> t.item(), "item: needs exactly one element, got shape [2, 3]");
        iae(() -> Tensor.zeros(0).item(), "item: needs exactly one element, got shape [0]");
        assertEquals(4f, Tensor.full(4f, 1, 1, 1).item());
        // A 0-d tensor has no dim to take the size of.
        ioobe(() -> Tensor.scalar(1f).size(0), "size", "0-d");
    }

    @Test
    void storageIsSharedAndMarkWrittenRecordsDirectWrites() {
        Tensor t = Tensor.zeros(4);
        Tensor v = t.narrow(0, 1, 2);
        assertTrue(TensorStorage.array(v) == TensorStorage.array(t));
        assertEquals(1, TensorStorage.offset(v));
        TensorStorage.array(v)[TensorStorage.offset(v)] = 9f;
        TensorStorage.markWritten(v);
        assertEquals(9f, t.get(1));
        assertEquals(1, t.version());
    }

    @Test
    void uniformNeverReturnsItsUpperBound() {
        // An interval one ulp wide: about half of the double draws round to the upper bound as floats.
        float low = 1f, high = Math.nextUp(1f);
        float[] v = Tensor.uniform(new dev.frelon.core.Rng(5), low, high, 1000).toArray();
        for (float x : v) {
            org.junit.jupiter.api.Assertions.assertEquals(low, x, 0f, "[low, high) holds only low here");
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tensor.uniform(new dev.frelon.core.Rng(5), 2f, 1f, 3));
    }
}
