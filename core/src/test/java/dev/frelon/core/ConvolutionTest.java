package dev.frelon.core;

import dev.frelon.core.kernel.Parallel;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.frelon.core.Check.exact;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ConvolutionTest {

    /** One test case: input and weight shapes, bias or not, and the geometry. */
    private record Case(String name, int[] x, int[] w, boolean bias, Conv2dSpec spec) {
    }

    private static final Case[] CASES = {
            new Case("plain 3x3 with bias", shape(2, 3, 6, 7), shape(4, 3, 3, 3), true, Conv2dSpec.of(1, 0)),
            new Case("stride 2, padding 1, no bias", shape(2, 3, 7, 6), shape(4, 3, 3, 3), false, Conv2dSpec.of(2, 1)),
            new Case("dilation 2, padding 2", shape(1, 2, 7, 8), shape(3, 2, 3, 3), true, new Conv2dSpec(1, 1, 2, 2, 2, 2, 1)),
            new Case("groups 2, stride (2, 1), padding (1, 0)", shape(3, 4, 6, 5), shape(6, 2, 3, 2), true,
                    new Conv2dSpec(2, 1, 1, 0, 1, 1, 2)),
            new Case("depthwise-ish groups 3, 2x3 kernel, stride (1, 2), padding (0, 1), dilation (2, 1)", shape(2, 3, 7, 9),
                    shape(6, 1, 2, 3), false, new Conv2dSpec(1, 2, 0, 1, 2, 1, 3)),
            new Case("1x1", shape(2, 3, 4, 5), shape(5, 3, 1, 1), true, Conv2dSpec.of(1, 0)),
            new Case("kernel covers the input", shape(2, 2, 3, 3), shape(3, 2, 3, 3), true, Conv2dSpec.of(1, 0)),
            new Case("padding wider than the dilated kernel reaches", shape(1, 2, 4, 1), shape(2, 2, 2, 2), true,
                    new Conv2dSpec(1, 1, 3, 3, 1, 5, 1)),
            new Case("padding and dilation with stride 2", shape(2, 1, 5, 1), shape(2, 1, 2, 2), false,
                    new Conv2dSpec(2, 2, 3, 3, 1, 5, 1)),
            new Case("3x3 stride 2, dilation 2, padding past the kernel's reach (phase planes)", shape(2, 2, 5, 4),
                    shape(3, 2, 3, 3), true, new Conv2dSpec(2, 2, 5, 5, 2, 2, 1)),
            new Case("4x4 stride (2, 3), padding (1, 2) (phase planes)", shape(2, 2, 9, 11), shape(2, 2, 4, 4), false,
                    new Conv2dSpec(2, 3, 1, 2, 1, 1, 1)),
            new Case("4x4 stride 2, padding 1, 19 output columns (phase planes, rows past a vector)",
                    shape(1, 2, 12, 38), shape(2, 2, 4, 4), true, Conv2dSpec.of(2, 1)),
            new Case("3x4 stride (5, 2) on 3 rows: one output row, a stride past the image (phase planes)",
                    shape(2, 1, 3, 9), shape(2, 1, 3, 4), false, new Conv2dSpec(5, 2, 0, 0, 1, 1, 1)),
    };

    private static int out(int in, int k, int s, int p, int d) {
        return (in + 2 * p - d * (k - 1) - 1) / s + 1;
    }

    private static int[] outShape(Case c) {
        Conv2dSpec s = c.spec();
        return new int[] {c.x()[0], c.w()[0], out(c.x()[2], c.w()[2], s.strideH(), s.padH(), s.dilationH()),
                out(c.x()[3], c.w()[3], s.strideW(), s.padW(), s.dilationW())};
    }

    /** The direct convolution, in double: out[n][o][i][j] = b[o] + sum over the group's taps. */
    private static double[] naive(Tensor x, Tensor w, Tensor b, Conv2dSpec s, int[] os) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int oc = w.size(0), cg = w.size(1), kh = w.size(2), kw = w.size(3);
        int g = s.groups(), ocg = oc / g;
        double[] out = new double[Check.numel(os)];
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < oc; o++) {
                int grp = o / ocg;
                for (int i = 0; i < os[2]; i++) {
                    for (int j = 0; j < os[3]; j++) {
                        double acc = b == null ? 0 : b.get(o);
                        for (int ci = 0; ci < cg; ci++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int ii = i * s.strideH() - s.padH() + ki * s.dilationH();
                                    int jj = j * s.strideW() - s.padW() + kj * s.dilationW();
                                    if (ii >= 0 && ii < h && jj >= 0 && jj < wd) {
                                        acc += x.get(img, grp * cg + ci, ii, jj) * (double) w.get(o, ci, ki, kj);
                                    }
                                }
                            }
                        }
                        out[((img * oc + o) * os[2] + i) * os[3] + j] = acc;
                    }
                }
            }
        }
        assertTrue(c >= cg);
        return out;
    }

    /**
     * The adjoints of {@link #naive} for a given output gradient r: {dx, dw, db}, then the sums of the absolute
     * values of the terms behind each dx and dw entry (the scale of float rounding in a summation).
     */
    private static double[][] naiveBackward(Tensor x, Tensor w, Conv2dSpec s, Tensor r) {
        int n = x.size(0), h = x.size(2), wd = x.size(3);
        int oc = w.size(0), cg = w.size(1), kh = w.size(2), kw = w.size(3);
        int ocg = oc / s.groups();
        int oh = r.size(2), ow = r.size(3);
        double[] dx = new double[x.numel()], dw = new double[w.numel()], db = new double[oc];
        double[] dxAbs = new double[x.numel()], dwAbs = new double[w.numel()];
        int[] xs = x.shape(), ws = w.shape();
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < oc; o++) {
                int grp = o / ocg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double g = r.get(img, o, i, j);
                        db[o] += g;
                        for (int ci = 0; ci < cg; ci++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int ii = i * s.strideH() - s.padH() + ki * s.dilationH();
                                    int jj = j * s.strideW() - s.padW() + kj * s.dilationW();
                                    if (ii >= 0 && ii < h && jj >= 0 && jj < wd) {
                                        int c = grp * cg + ci;
                                        int xi = ((img * xs[1] + c) * h + ii) * wd + jj;
                                        int wi = ((o * ws[1] + ci) * kh + ki) * kw + kj;
                                        dx[xi] += w.get(o, ci, ki, kj) * g;
                                        dw[wi] += x.get(img, c, ii, jj) * g;
                                        dxAbs[xi] += Math.abs(w.get(o, ci, ki, kj) * g);
                                        dwAbs[wi] += Math.abs(x.get(img, c, ii, jj) * g);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw, db, dxAbs, dwAbs};
    }

    /**
     * Each entry within the standard bound of a float summation of {@code terms} terms, {@code terms · u · Σ|term|}
     * (u = 2^-24), or within 1e-6: a missing or doubled term is orders of magnitude larger.
     */
    private static void assertWithinRounding(double[] expected, double[] magnitude, int terms, float[] got, String what) {
        assertEquals(expected.length, got.length, what + ": size");
        double u = Math.ulp(1f) / 2;
        for (int i = 0; i < expected.length; i++) {
            double bound = terms * u * magnitude[i] + 1e-6;
            if (!(Math.abs(got[i] - expected[i]) <= bound)) {
                fail(what + " [" + i + "]: expected " + expected[i] + " but got " + got[i] + " (bound " + bound + ")");
            }
        }
    }

    private static void assertNear(double[] expected, float[] got, double rtol, String what) {
        assertEquals(expected.length, got.length, what + ": size");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= rtol * (Math.abs(expected[i]) + scale * 1e-2) + 1e-6)) {
                fail(what + " [" + i + "]: expected " + expected[i] + " but got " + got[i]);
            }
        }
    }

    /** sum(f(t) * r) in double. */
    private static double weighted(Tensor y, Tensor r) {
        float[] a = y.toArray(), b = r.toArray();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * (double) b[i];
        }
        return s;
    }

    /** Central finite differences of {@code sum(f(t) * r)} with respect to every element of t. */
    static double[] finiteDifferences(Tensor t, Function<Tensor, Tensor> f, Tensor r, double eps) {
        Tensor p = t.contiguous().copy();
        float[] d = TensorStorage.array(p);
        double[] grad = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            float orig = d[i];
            float up = (float) (orig + eps), down = (float) (orig - eps);
            d[i] = up;
            double fu = weighted(f.apply(p), r);
            d[i] = down;
            double fd = weighted(f.apply(p), r);
            d[i] = orig;
            grad[i] = (fu - fd) / ((double) up - down);
        }
        return grad;
    }

    @Test
    void matchesADirectConvolution() {
        long seed = 1;
        for (Case c : CASES) {
            Tensor x = Check.random(seed++, c.x()), w = Check.random(seed++, c.w());
            Tensor b = c.bias() ? Check.random(seed++, c.w()[0]) : null;
            int[] os = outShape(c);
            Tensor y = Convolution.conv2d(x, w, b, c.spec());
            assertArrayEquals(os, y.shape(), c.name());
            assertNear(naive(x, w, b, c.spec(), os), y.toArray(), 1e-5, c.name());
        }
    }

    @Test
    void backwardMatchesTheAdjointAndFiniteDifferences() {
        long seed = 100;
        for (Case c : CASES) {
            Tensor x = Check.random(seed++, c.x()), w = Check.random(seed++, c.w());
            Tensor b = c.bias() ? Check.random(seed++, c.w()[0]) : null;
            int[] os = outShape(c);
            Tensor r = Check.random(seed++, os);
            Conv2dSpec s = c.spec();
            Tensor dx = Convolution.conv2dBackwardInput(r, w, c.x(), s);
            Tensor dw = Convolution.conv2dBackwardWeight(r, x, c.w(), s);
            Tensor db = Convolution.conv2dBackwardBias(r);
            assertArrayEquals(c.x(), dx.shape());
            assertArrayEquals(c.w(), dw.shape());
            assertArrayEquals(new int[] {c.w()[0]}, db.shape());
            double[][] exact = naiveBackward(x, w, s, r);
            assertNear(exact[0], dx.toArray(), 1e-5, c.name() + " dx (adjoint)");
            assertNear(exact[1], dw.toArray(), 1e-5, c.name() + " dw (adjoint)");
            assertNear(exact[2], db.toArray(), 1e-5, c.name() + " db (adjoint)");
            Tensor bias = b;
            assertNear(finiteDifferences(x, t -> Convolution.conv2d(t, w, bias, s), r, 1e-2), dx.toArray(), 1e-2,
                    c.name() + " dx (finite differences)");
            assertNear(finiteDifferences(w, t -> Convolution.conv2d(x, t, bias, s), r, 1e-2), dw.toArray(), 1e-2,
                    c.name() + " dw (finite differences)");
            Tensor bb = b == null ? Tensor.zeros(c.w()[0]) : b;
            assertNear(finiteDifferences(bb, t -> Convolution.conv2d(x, w, t, s), r, 1e-2), db.toArray(), 1e-2,
                    c.name() + " db (finite differences)");
        }
    }

    /**
     * Stride-1 shapes large enough for the vector kernels' in-place row reads (both tile shapes, ragged tile edges
     * in channels and columns) and the blocked dot-product weight gradient, against the naive loops.
     */
    @Test
    void strideOneKernelPathsMatchTheNaiveConvolution() {
        Case[] cases = {
                new Case("LeNet conv1", shape(3, 1, 28, 28), shape(6, 1, 5, 5), true, Conv2dSpec.of(1, 2)),
                new Case("LeNet conv2", shape(3, 6, 14, 14), shape(16, 6, 5, 5), true, Conv2dSpec.of(1, 0)),
                new Case("9 channels, 3x3, padding 1", shape(2, 5, 11, 13), shape(9, 5, 3, 3), false, Conv2dSpec.of(1, 1)),
                new Case("7 channels, 5x3, padding (2, 1)", shape(2, 2, 20, 30), shape(7, 2, 5, 3), true,
                        new Conv2dSpec(1, 1, 2, 1, 1, 1, 1)),
                new Case("33 channels, 1x1", shape(2, 4, 9, 9), shape(33, 4, 1, 1), true, Conv2dSpec.of(1, 0)),
                new Case("13 channels, wide image", shape(1, 3, 6, 70), shape(13, 3, 3, 3), true, Conv2dSpec.of(1, 1)),
        };
        long seed = 500;
        for (Case c : cases) {
            Tensor x = Check.random(seed++, c.x()), w = Check.random(seed++, c.w());
            Tensor b = c.bias() ? Check.random(seed++, c.w()[0]) : null;
            int[] os = outShape(c);
            Tensor y = Convolution.conv2d(x, w, b, c.spec());
            assertArrayEquals(os, y.shape(), c.name());
            assertNear(naive(x, w, b, c.spec(), os), y.toArray(), 1e-5, c.name());
            Tensor r = Check.random(seed++, os);
            double[][] exact = naiveBackward(x, w, c.spec(), r);
            // The input gradient sums up to OC·KH·KW terms (400 for LeNet's conv2) in one float chain: its error
            // is bounded by that count times the unit roundoff times the sum of the terms' magnitudes.
            int dxTerms = c.w()[0] * c.w()[2] * c.w()[3], dwTerms = c.x()[0] * os[2] * os[3];
            assertWithinRounding(exact[0], exact[3], dxTerms,
                    Convolution.conv2dBackwardInput(r, w, c.x(), c.spec()).toArray(), c.name() + " dx");
            assertWithinRounding(exact[1], exact[4], dwTerms,
                    Convolution.conv2dBackwardWeight(r, x, c.w(), c.spec()).toArray(), c.name() + " dw");
        }
    }

    /**
     * Strided input gradients with at least 16 input channels fold channels-last (batches of images in one GEMM with
     * rows of KH·KW·C, then vector additions into a [H, W, C] image): strides, padding, dilation, non-square
     * kernels, ragged batches and taps that fall outside the image, against the naive loops; and the bits do not
     * depend on the thread count.
     */
    @Test
    void stridedInputGradientsWithManyChannelsMatchTheNaiveConvolution() {
        Case[] cases = {
                new Case("DCGAN 4x4 stride 2, padding 1", shape(7, 16, 14, 14), shape(24, 16, 4, 4), false,
                        Conv2dSpec.of(2, 1)),
                new Case("stride (2, 3), padding (1, 0), dilation 2, 3x2", shape(3, 20, 13, 17), shape(9, 20, 3, 2),
                        false, new Conv2dSpec(2, 3, 1, 0, 2, 2, 1)),
                new Case("1x1 stride 2 (a ResNet shortcut)", shape(2, 17, 9, 8), shape(33, 17, 1, 1), false,
                        Conv2dSpec.of(2, 0)),
                new Case("odd size, stride 2, padding 2", shape(13, 32, 5, 5), shape(8, 32, 5, 5), false,
                        Conv2dSpec.of(2, 2)),
        };
        long seed = 700;
        int old = Parallel.threads();
        try {
            for (Case c : cases) {
                Tensor x = Check.random(seed++, c.x()), w = Check.random(seed++, c.w());
                int[] os = outShape(c);
                Tensor r = Check.random(seed++, os);
                double[][] exact = naiveBackward(x, w, c.spec(), r);
                Parallel.setThreads(1);
                Tensor dx = Convolution.conv2dBackwardInput(r, w, c.x(), c.spec());
                assertWithinRounding(exact[0], exact[3], c.w()[0] * c.w()[2] * c.w()[3], dx.toArray(), c.name());
                Parallel.setThreads(3);
                assertEquals(dx, Convolution.conv2dBackwardInput(r, w, c.x(), c.spec()), c.name() + ", 3 threads");
            }
        } finally {
            Parallel.setThreads(old);
        }
    }

    /**
     * Strided convolutions whose products run one image at a time: an input gradient of at most 16 column rows and at
     * least 64 output pixels (a DCGAN generator's last layer, run as a transposed convolution: one channel, 4×4,
     * stride 2) reads each image's output gradient where it lies, with 16, 12 and 9 column rows (two tall tiles, a
     * tall and a partial one, one partial); a forward of at least 128 output pixels writes each image's product
     * straight into the output, with and without bias. Against the naive loops, all three results of each case; and
     * the bits do not depend on the thread count.
     */
    @Test
    void stridedProductsPerImageMatchTheNaiveConvolution() {
        Case[] cases = {
                new Case("DCGAN's last layer: 1 channel, 4x4 stride 2, padding 1", shape(5, 1, 28, 28),
                        shape(24, 1, 4, 4), true, Conv2dSpec.of(2, 1)),
                new Case("3 channels, 2x2 stride 2 (12 column rows)", shape(3, 3, 24, 22), shape(7, 3, 2, 2), false,
                        Conv2dSpec.of(2, 0)),
                new Case("1 channel, 3x3 stride (2, 3), dilation 2 (9 column rows)", shape(4, 1, 33, 40),
                        shape(6, 1, 3, 3), true, new Conv2dSpec(2, 3, 2, 1, 2, 2, 1)),
        };
        long seed = 900;
        int old = Parallel.threads();
        try {
            for (Case c : cases) {
                Tensor x = Check.random(seed++, c.x()), w = Check.random(seed++, c.w());
                Tensor b = c.bias() ? Check.random(seed++, c.w()[0]) : null;
                int[] os = outShape(c);
                assertTrue(os[2] * os[3] >= 128, c.name() + " has " + os[2] * os[3] + " output pixels");
                Tensor r = Check.random(seed++, os);
                double[][] exact = naiveBackward(x, w, c.spec(), r);
                int taps = c.w()[1] * c.w()[2] * c.w()[3];
                Parallel.setThreads(1);
                Tensor y = Convolution.conv2d(x, w, b, c.spec());
                assertNear(naive(x, w, b, c.spec(), os), y.toArray(), 1e-5, c.name() + ", forward");
                Tensor dx = Convolution.conv2dBackwardInput(r, w, c.x(), c.spec());
                assertWithinRounding(exact[0], exact[3], c.w()[0] * c.w()[2] * c.w()[3], dx.toArray(),
                        c.name() + ", input gradient");
                Tensor dw = Convolution.conv2dBackwardWeight(r, x, c.w(), c.spec());
                assertWithinRounding(exact[1], exact[4], c.x()[0] * os[2] * os[3], dw.toArray(),
                        c.name() + ", weight gradient (" + taps + " taps)");
                Parallel.setThreads(3);
                assertEquals(y, Convolution.conv2d(x, w, b, c.spec()), c.name() + ", forward, 3 threads");
                assertEquals(dx, Convolution.conv2dBackwardInput(r, w, c.x(), c.spec()), c.name() + ", 3 threads");
            }
        } finally {
            Parallel.setThreads(old);
        }
    }

    @Test
    void handComputedExamples() {
        Tensor x = Tensor.arange(9).reshape(1, 1, 3, 3);
        exact(Convolution.conv2d(x, Tensor.ones(1, 1, 2, 2), Tensor.of(new float[] {1}), Conv2dSpec.of(1, 0)),
                shape(1, 1, 2, 2), 9, 13, 21, 25);
        exact(Convolution.conv2d(x, Tensor.ones(1, 1, 3, 3), null, Conv2dSpec.of(2, 1)), shape(1, 1, 2, 2), 8, 12, 20, 24);
        // Two groups: each output channel sees only its own input channel.
        Tensor two = Tensor.concat(1, x, x.mul(10f));
        Tensor w = Tensor.of(new float[] {1, 2}, 2, 1, 1, 1);
        Tensor y = Convolution.conv2d(two, w, null, new Conv2dSpec(1, 1, 0, 0, 1, 1, 2));
        assertEquals(x, y.narrow(1, 0, 1));
        assertEquals(x.mul(20f), y.narrow(1, 1, 1));
        // The gradient of a sum over a 2x2 all-ones conv counts how many windows cover each pixel.
        exact(Convolution.conv2dBackwardInput(Tensor.ones(1, 1, 2, 2), Tensor.ones(1, 1, 2, 2), shape(1, 1, 3, 3), Conv2dSpec.of(1, 0)),
                shape(1, 1, 3, 3), 1, 2, 1, 2, 4, 2, 1, 2, 1);
        exact(Convolution.conv2dBackwardBias(Tensor.ones(2, 3, 2, 2)), shape(3), 8, 8, 8);
    }

    @Test
    void nonContiguousOperands() {
        Tensor xNhwc = Check.random(7, 2, 5, 6, 3);
        Tensor x = xNhwc.permute(0, 3, 1, 2);
        Tensor w = Check.random(8, 3, 3, 3, 4).permute(3, 0, 1, 2);
        Tensor b = Check.random(9, 8).slice(0, 0, 8, 2);
        Conv2dSpec s = Conv2dSpec.of(1, 1);
        assertEquals(Convolution.conv2d(x.contiguous(), w.contiguous(), b.contiguous(), s), Convolution.conv2d(x, w, b, s));
        Tensor r = Check.random(10, 2, 4, 5, 6);
        Tensor rt = r.permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2);
        assertEquals(Convolution.conv2dBackwardInput(r, w.contiguous(), x.shape(), s), Convolution.conv2dBackwardInput(rt, w, x.shape(), s));
        assertEquals(Convolution.conv2dBackwardWeight(r, x.contiguous(), w.shape(), s), Convolution.conv2dBackwardWeight(rt, x, w.shape(), s));
        assertEquals(Convolution.conv2dBackwardBias(r), Convolution.conv2dBackwardBias(rt));
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        int old = Parallel.threads();
        try {
            Tensor x = Check.random(20, 5, 3, 8, 8), w = Check.random(21, 4, 3, 3, 3), r = Check.random(22, 5, 4, 8, 8);
            Conv2dSpec s = Conv2dSpec.of(1, 1);
            Parallel.setThreads(1);
            Tensor y1 = Convolution.conv2d(x, w, null, s);
            Tensor dx1 = Convolution.conv2dBackwardInput(r, w, x.shape(), s);
            Tensor dw1 = Convolution.conv2dBackwardWeight(r, x, w.shape(), s);
            Parallel.setThreads(3);
            assertEquals(y1, Convolution.conv2d(x, w, null, s));
            assertEquals(dx1, Convolution.conv2dBackwardInput(r, w, x.shape(), s));
            // The weight gradient sums per-thread partials: equal up to the order of the additions.
            assertNear(Check.toDouble(dw1.toArray()), Convolution.conv2dBackwardWeight(r, x, w.shape(), s).toArray(), 1e-5, "dw");
        } finally {
            Parallel.setThreads(old);
        }
    }

    @Test
    void emptyBatch() {
        Tensor y = Convolution.conv2d(Tensor.zeros(0, 2, 4, 4), Tensor.ones(3, 2, 3, 3), null, Conv2dSpec.of(1, 0));
        exact(y, shape(0, 3, 2, 2));
        exact(Convolution.conv2dBackwardWeight(Tensor.zeros(0, 3, 2, 2), Tensor.zeros(0, 2, 4, 4), shape(3, 2, 3, 3), Conv2dSpec.of(1, 0)),
                shape(3, 2, 3, 3), new float[54]);
    }

    @Test
    void errors() {
        Conv2dSpec s = Conv2dSpec.of(1, 0);
        iae(() -> Convolution.conv2d(Tensor.zeros(1, 2, 3), Tensor.zeros(1, 2, 1, 1), null, s),
                "conv2d: input must be [N, C, H, W], got [1, 2, 3]");
        iae(() -> Convolution.conv2d(Tensor.zeros(1, 2, 3, 3), Tensor.zeros(2, 3), null, s),
                "conv2d: weight must be [OC, C/groups, KH, KW], got [2, 3]");
        iae(() -> Convolution.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 1, 3, 3), null, new Conv2dSpec(1, 1, 0, 0, 1, 1, 2)),
                "conv2d: channels in (3) and out (4) must both be divisible by groups 2");
        iae(() -> Convolution.conv2d(Tensor.zeros(1, 2, 5, 5), Tensor.zeros(4, 3, 3, 3), null, s),
                "conv2d: weight [4, 3, 3, 3] expects 3 input channels, input [1, 2, 5, 5] has 2");
        iae(() -> Convolution.conv2d(Tensor.zeros(1, 2, 5, 5), Tensor.zeros(4, 2, 3, 3), Tensor.zeros(3), s),
                "conv2d: bias must be [4], got [3]");
        iae(() -> Convolution.conv2d(Tensor.zeros(1, 2, 5, 5), Tensor.zeros(4, 2, 3, 3), Tensor.zeros(1, 4), s),
                "conv2d: bias must be [4], got [1, 4]");
        iae(() -> Convolution.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(1, 1, 3, 3), null, s),
                "conv2d: input size 2 with padding 0 is smaller than the kernel extent 3");
        iae(() -> Convolution.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null, new Conv2dSpec(1, 1, 0, 0, 3, 3, 1)),
                "conv2d: input size 5 with padding 0 is smaller than the kernel extent 7");
        iae(() -> Convolution.conv2dBackwardInput(Tensor.zeros(1, 4, 2, 2), Tensor.zeros(4, 2, 3, 3), shape(1, 2, 5, 5), s),
                "conv2dBackwardInput: gradOutput has shape [1, 4, 2, 2], expected [1, 4, 3, 3]");
        iae(() -> Convolution.conv2dBackwardInput(Tensor.zeros(1, 4, 3, 3), Tensor.zeros(4, 2, 3, 3), shape(2, 5, 5), s),
                "conv2dBackwardInput: input must be [N, C, H, W], got [2, 5, 5]");
        iae(() -> Convolution.conv2dBackwardWeight(Tensor.zeros(2, 4, 3, 3), Tensor.zeros(1, 2, 5, 5), shape(4, 2, 3, 3), s),
                "conv2dBackwardWeight: gradOutput has shape [2, 4, 3, 3], expected [1, 4, 3, 3]");
        iae(() -> Convolution.conv2dBackwardWeight(Tensor.zeros(1, 4, 3, 3), Tensor.zeros(1, 2, 5, 5), shape(4, 3, 3, 3), s),
                "conv2dBackwardWeight: weight [4, 3, 3, 3] expects 3 input channels, input [1, 2, 5, 5] has 2");
        iae(() -> Convolution.conv2dBackwardBias(Tensor.zeros(4)), "conv2dBackwardBias: gradOutput must be [N, OC, OH, OW], got [4]");
    }

    @Test
    void specChecksItsFields() {
        Conv2dSpec s = Conv2dSpec.of(2, 1);
        assertEquals(new Conv2dSpec(2, 2, 1, 1, 1, 1, 1), s);
        iae(() -> new Conv2dSpec(0, 1, 0, 0, 1, 1, 1),
                "Conv2dSpec: need stride >= 1, padding >= 0, dilation >= 1, groups >= 1; got stride (0, 1), padding (0, 0),"
                        + " dilation (1, 1), groups 1");
        iae(() -> new Conv2dSpec(1, 1, -1, 0, 1, 1, 1), "Conv2dSpec", "padding (-1, 0)");
        iae(() -> new Conv2dSpec(1, 1, 0, 0, 1, 0, 1), "Conv2dSpec", "dilation (1, 0)");
        iae(() -> new Conv2dSpec(1, 1, 0, 0, 1, 1, 0), "Conv2dSpec", "groups 0");
    }
}
