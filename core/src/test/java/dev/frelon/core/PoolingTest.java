package dev.frelon.core;

import org.junit.jupiter.api.Test;

import static dev.frelon.core.Check.close;
import static dev.frelon.core.Check.exact;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.ioobe;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

class PoolingTest {

    /** A 4x4 plane with distinct values. */
    private static Tensor plane() {
        return Tensor.of(new float[] {
                1, 9, 2, 8,
                7, 3, 6, 4,
                5, 0, 10, 11,
                15, 14, 12, 13}, 1, 1, 4, 4);
    }

    /** Distinct values at least 0.1 apart, so that a finite-difference step of 1e-2 cannot reorder them. */
    private static Tensor distinct(long seed, int... shape) {
        int n = Check.numel(shape);
        int[] p = new Rng(seed).permutation(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (p[i] - n / 2f) * 0.1f;
        }
        return Tensor.of(v, shape);
    }

    private static void assertNear(double[] expected, float[] got, double tol, String what) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])))) {
                fail(what + " [" + i + "]: expected " + expected[i] + " but got " + got[i]);
            }
        }
    }

    // ---------------------------------------------------------------------------------- references

    private static int out(int in, int k, int s, int p, int d) {
        return (in + 2 * p - d * (k - 1) - 1) / s + 1;
    }

    /** A pooling window of the given size with a convolution's stride, padding and dilation. */
    private static Pool2dSpec p(int kh, int kw, Conv2dSpec s) {
        return new Pool2dSpec(kh, kw, s.strideH(), s.strideW(), s.padH(), s.padW(), s.dilationH(), s.dilationW());
    }

    /** Naive max (max = true) or average pooling with implicit padding (zeros counted for the average). */
    private static double[] naivePool(Tensor x, int kh, int kw, Conv2dSpec s, boolean max) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = out(h, kh, s.strideH(), s.padH(), s.dilationH()), ow = out(w, kw, s.strideW(), s.padW(), s.dilationW());
        double[] o = new double[n * c * oh * ow];
        int k = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < c; b++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int p = 0; p < kh; p++) {
                            for (int q = 0; q < kw; q++) {
                                int ii = i * s.strideH() - s.padH() + p * s.dilationH();
                                int jj = j * s.strideW() - s.padW() + q * s.dilationW();
                                if (ii < 0 || ii >= h || jj < 0 || jj >= w) {
                                    continue;
                                }
                                double v = x.get(a, b, ii, jj);
                                acc = max ? Math.max(acc, v) : acc + v;
                            }
                        }
                        o[k++] = max ? acc : acc / (kh * kw);
                    }
                }
            }
        }
        return o;
    }

    private static double[] naiveAdaptive(Tensor x, int oh, int ow) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        double[] o = new double[n * c * oh * ow];
        int k = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < c; b++) {
                for (int i = 0; i < oh; i++) {
                    int h0 = (int) Math.floor((double) i * h / oh), h1 = (int) Math.ceil((double) (i + 1) * h / oh);
                    for (int j = 0; j < ow; j++) {
                        int w0 = (int) Math.floor((double) j * w / ow), w1 = (int) Math.ceil((double) (j + 1) * w / ow);
                        double s = 0;
                        for (int p = h0; p < h1; p++) {
                            for (int q = w0; q < w1; q++) {
                                s += x.get(a, b, p, q);
                            }
                        }
                        o[k++] = s / ((h1 - h0) * (w1 - w0));
                    }
                }
            }
        }
        return o;
    }

    private static final Object[][] GEOMETRIES = {
            // kh, kw, spec
            {2, 2, Conv2dSpec.of(2, 0)},
            {3, 3, Conv2dSpec.of(1, 1)},
            {3, 3, Conv2dSpec.of(2, 1)},
            {3, 2, new Conv2dSpec(2, 1, 1, 1, 1, 1, 1)},
            {2, 3, new Conv2dSpec(1, 3, 0, 1, 1, 1, 1)},
            {1, 1, Conv2dSpec.of(1, 0)},
    };

    // ---------------------------------------------------------------------------------- max pooling

    @Test
    void maxPoolByHand() {
        Pooling.MaxPoolResult r = Pooling.maxPool2d(plane(), Pool2dSpec.of(2));
        exact(r.output(), shape(1, 1, 2, 2), 9, 8, 15, 13);
        assertArrayEquals(new int[] {1, 3, 12, 15}, r.argmax());
        Pooling.MaxPoolResult p = Pooling.maxPool2d(plane(), Pool2dSpec.of(3, 3).withStride(2).withPadding(1));
        exact(p.output(), shape(1, 1, 2, 2), 9, 9, 15, 14);
        assertArrayEquals(new int[] {1, 1, 12, 13}, p.argmax());
        Pooling.MaxPoolResult d = Pooling.maxPool2d(plane(), p(2, 2, new Conv2dSpec(1, 1, 0, 0, 2, 2, 1)));
        exact(d.output(), shape(1, 1, 2, 2), 10, 11, 15, 14);
        assertArrayEquals(new int[] {10, 11, 12, 13}, d.argmax());
        // The gradient goes to where each maximum came from; overlapping windows add up.
        exact(Pooling.maxPool2dBackward(Tensor.ones(1, 1, 2, 2), p.argmax(), shape(1, 1, 4, 4)), shape(1, 1, 4, 4),
                0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0);
        // Ties go to the first position; negative values are not beaten by the padding.
        Pooling.MaxPoolResult t = Pooling.maxPool2d(Tensor.full(-3f, 1, 1, 2, 2), Pool2dSpec.of(2, 2).withStride(1).withPadding(1));
        exact(t.output(), shape(1, 1, 3, 3), -3, -3, -3, -3, -3, -3, -3, -3, -3);
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 1, 2, 2, 3}, t.argmax());
    }

    @Test
    void maxPoolMatchesTheNaivePoolAndItsGradient() {
        long seed = 1;
        for (Object[] g : GEOMETRIES) {
            int kh = (int) g[0], kw = (int) g[1];
            Conv2dSpec s = (Conv2dSpec) g[2];
            Tensor x = distinct(seed++, 2, 3, 7, 6);
            Pooling.MaxPoolResult r = Pooling.maxPool2d(x, p(kh, kw, s));
            String what = "max " + kh + "x" + kw + " " + s;
            assertNear(naivePool(x, kh, kw, s, true), r.output().toArray(), 0, what);
            Tensor rr = Check.random(seed++, r.output().shape());
            Tensor dx = Pooling.maxPool2dBackward(rr, r.argmax(), x.shape());
            assertNear(ConvolutionTest.finiteDifferences(x, t -> Pooling.maxPool2d(t, p(kh, kw, s)).output(), rr, 1e-2),
                    dx.toArray(), 1e-3, what + " backward");
            // A non-contiguous input gives the same result.
            Tensor xt = x.permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2);
            assertEquals(r.output(), Pooling.maxPool2d(xt, p(kh, kw, s)).output());
        }
    }

    @Test
    void maxPoolWithDilation() {
        Tensor x = distinct(50, 1, 2, 9, 8);
        Conv2dSpec s = new Conv2dSpec(2, 1, 1, 1, 2, 3, 1);
        Pooling.MaxPoolResult r = Pooling.maxPool2d(x, p(3, 2, s));
        assertNear(naivePool(x, 3, 2, s, true), r.output().toArray(), 0, "dilated max");
        Tensor rr = Check.random(51, r.output().shape());
        assertNear(ConvolutionTest.finiteDifferences(x, t -> Pooling.maxPool2d(t, p(3, 2, s)).output(), rr, 1e-2),
                Pooling.maxPool2dBackward(rr, r.argmax(), x.shape()).toArray(), 1e-3, "dilated max backward");
    }

    // ---------------------------------------------------------------------------------- average pooling

    @Test
    void avgPoolByHand() {
        exact(Pooling.avgPool2d(plane(), Pool2dSpec.of(2)), shape(1, 1, 2, 2), 5, 5, 8.5f, 11.5f);
        // Padded positions count as zeros: every window divides by 9.
        close(Pooling.avgPool2d(plane(), Pool2dSpec.of(3, 3).withStride(2).withPadding(1)), shape(1, 1, 2, 2), 1e-6, 0, 20 / 9.0, 32 / 9.0, 44 / 9.0, 73 / 9.0);
        exact(Pooling.avgPool2dBackward(Tensor.ones(1, 1, 2, 2), shape(1, 1, 4, 4), p(2, 2, Conv2dSpec.of(2, 0))), shape(1, 1, 4, 4),
                0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f);
    }

    @Test
    void avgPoolMatchesTheNaivePoolAndItsGradient() {
        long seed = 20;
        for (Object[] g : GEOMETRIES) {
            int kh = (int) g[0], kw = (int) g[1];
            Conv2dSpec s = (Conv2dSpec) g[2];
            Tensor x = Check.random(seed++, 2, 3, 7, 6);
            Tensor y = Pooling.avgPool2d(x, p(kh, kw, s));
            String what = "avg " + kh + "x" + kw + " " + s;
            assertNear(naivePool(x, kh, kw, s, false), y.toArray(), 1e-6, what);
            Tensor rr = Check.random(seed++, y.shape());
            Tensor dx = Pooling.avgPool2dBackward(rr, x.shape(), p(kh, kw, s));
            assertNear(ConvolutionTest.finiteDifferences(x, t -> Pooling.avgPool2d(t, p(kh, kw, s)), rr, 1e-2), dx.toArray(), 1e-3,
                    what + " backward");
            assertEquals(y, Pooling.avgPool2d(x.permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2), p(kh, kw, s)));
            assertEquals(dx, Pooling.avgPool2dBackward(rr.permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2), x.shape(), p(kh, kw, s)));
        }
    }

    @Test
    void avgPool2x2FastPathMatchesTheNaivePoolOnOddShapesAndLayouts() {
        // Odd heights and widths (the last row or column is in no window), a single window, and enough planes
        // (N·C above the parallel grain of 16) to split across threads.
        int[][] shapes = {{2, 3, 7, 6}, {1, 2, 6, 9}, {3, 1, 5, 5}, {1, 1, 2, 2}, {1, 1, 2, 3}, {4, 9, 10, 11}};
        long seed = 60;
        for (int[] sh : shapes) {
            String what = "avg 2x2 " + Check.str(sh);
            Tensor x = Check.random(seed++, sh);
            Conv2dSpec s = Conv2dSpec.of(2, 0);
            Tensor y = Pooling.avgPool2d(x, p(2, 2, s));
            assertArrayEquals(shape(sh[0], sh[1], sh[2] / 2, sh[3] / 2), y.shape(), what);
            assertNear(naivePool(x, 2, 2, s, false), y.toArray(), 1e-6, what);
            // Dense, transposed, strided and offset storage all give the same bits.
            Tensor[] xs = Check.layouts(x);
            for (int l = 0; l < xs.length; l++) {
                assertEquals(y, Pooling.avgPool2d(xs[l], p(2, 2, s)), what + " " + Check.LAYOUT.apply(l));
            }
            // Backward: each input position in a window gets a quarter of that window's gradient, else zero.
            Tensor dy = Check.random(seed++, y.shape());
            Tensor dx = Pooling.avgPool2dBackward(dy, x.shape(), p(2, 2, s));
            Tensor expected = Check.build(sh, idx -> idx[2] / 2 < y.size(2) && idx[3] / 2 < y.size(3)
                    ? dy.get(idx[0], idx[1], idx[2] / 2, idx[3] / 2) / 4.0 : 0.0);
            assertEquals(expected, dx, what + " backward");
            Tensor[] dys = Check.layouts(dy);
            for (int l = 0; l < dys.length; l++) {
                assertEquals(dx, Pooling.avgPool2dBackward(dys[l], x.shape(), p(2, 2, s)), what + " backward " + Check.LAYOUT.apply(l));
            }
        }
    }

    // ---------------------------------------------------------------------------------- adaptive

    @Test
    void adaptiveAvgPoolByHand() {
        Tensor x = Tensor.arange(16).reshape(1, 1, 4, 4);
        exact(Pooling.adaptiveAvgPool2d(x, 2, 2), shape(1, 1, 2, 2), 2.5f, 4.5f, 10.5f, 12.5f);
        exact(Pooling.adaptiveAvgPool2d(x, 1, 1), shape(1, 1, 1, 1), 7.5f);
        exact(Pooling.adaptiveAvgPool2d(x, 4, 4), shape(1, 1, 4, 4), x.toArray());
        // Upsampling repeats cells.
        exact(Pooling.adaptiveAvgPool2d(Tensor.arange(4).reshape(1, 1, 2, 2), 4, 4), shape(1, 1, 4, 4),
                0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3);
        // 5 rows into 3: [0, 2), [1, 4), [3, 5) -- overlapping, as PyTorch.
        Tensor col = Tensor.arange(5).reshape(1, 1, 5, 1);
        exact(Pooling.adaptiveAvgPool2d(col, 3, 1), shape(1, 1, 3, 1), 0.5f, 2, 3.5f);
        exact(Pooling.adaptiveAvgPool2dBackward(Tensor.ones(1, 1, 3, 1), shape(1, 1, 5, 1)), shape(1, 1, 5, 1),
                0.5f, 0.5f + 1 / 3f, 1 / 3f, 1 / 3f + 0.5f, 0.5f);
    }

    @Test
    void adaptiveAvgPoolMatchesTheReferenceAndItsGradient() {
        long seed = 40;
        int[][] cases = {{5, 7, 3, 2}, {6, 6, 4, 4}, {7, 3, 7, 3}, {4, 5, 1, 1}, {3, 2, 5, 4}};
        for (int[] c : cases) {
            Tensor x = Check.random(seed++, 2, 2, c[0], c[1]);
            Tensor y = Pooling.adaptiveAvgPool2d(x, c[2], c[3]);
            assertArrayEquals(new int[] {2, 2, c[2], c[3]}, y.shape());
            String what = "adaptive " + Check.str(c);
            assertNear(naiveAdaptive(x, c[2], c[3]), y.toArray(), 1e-6, what);
            Tensor rr = Check.random(seed++, y.shape());
            assertNear(ConvolutionTest.finiteDifferences(x, t -> Pooling.adaptiveAvgPool2d(t, c[2], c[3]), rr, 1e-2),
                    Pooling.adaptiveAvgPool2dBackward(rr, x.shape()).toArray(), 1e-3, what + " backward");
            assertEquals(y, Pooling.adaptiveAvgPool2d(x.permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2), c[2], c[3]));
        }
    }

    // ---------------------------------------------------------------------------------- errors

    @Test
    void errors() {
        Conv2dSpec s = Conv2dSpec.of(1, 0);
        iae(() -> Pooling.maxPool2d(Tensor.zeros(4, 4), p(2, 2, s)), "maxPool2d: input must be [N, C, H, W], got [4, 4]");
        iae(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 4, 4), p(0, 2, s)), "Pool2dSpec: need kernel >= 1, stride >= 1, padding >= 0, dilation >= 1; got kernel (0, 2)");
        iae(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 4, 4), p(3, 3, new Conv2dSpec(1, 1, 2, 0, 1, 1, 1))),
                "maxPool2d: padding (2, 0) must be at most half the kernel size (3, 3)");
        iae(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 2, 2), p(3, 3, s)),
                "maxPool2d: input size 2 with padding 0 is smaller than the kernel extent 3");
        iae(() -> Pooling.avgPool2d(Tensor.zeros(1, 1, 4, 4), p(2, 2, new Conv2dSpec(1, 1, 0, 0, 2, 2, 1))),
                "avgPool2d: dilation is not supported, got (2, 2)");
        iae(() -> Pooling.avgPool2d(Tensor.zeros(1, 4, 4), p(2, 2, s)), "avgPool2d: input must be [N, C, H, W], got [1, 4, 4]");
        iae(() -> Pooling.avgPool2d(Tensor.zeros(1, 1, 4, 4), p(2, -1, s)), "Pool2dSpec: need kernel >= 1, stride >= 1, padding >= 0, dilation >= 1; got kernel (2, -1)");
        iae(() -> Pooling.avgPool2dBackward(Tensor.zeros(1, 1, 3, 3), shape(1, 1, 4, 4), p(2, 2, Conv2dSpec.of(2, 0))),
                "avgPool2dBackward: gradOutput has shape [1, 1, 3, 3], expected [1, 1, 2, 2]");
        iae(() -> Pooling.avgPool2dBackward(Tensor.zeros(1, 1, 2, 2), shape(1, 4, 4), p(2, 2, Conv2dSpec.of(2, 0))),
                "avgPool2dBackward: input must be [N, C, H, W], got [1, 4, 4]");
        iae(() -> Pooling.avgPool2dBackward(Tensor.zeros(1, 1, 2, 2), shape(1, 1, 4, 4), p(2, 2, new Conv2dSpec(2, 2, 0, 0, 1, 2, 1))),
                "avgPool2dBackward: dilation is not supported, got (1, 2)");
        iae(() -> Pooling.maxPool2dBackward(Tensor.zeros(1, 1, 3, 3), new int[4], shape(1, 1, 4, 4)),
                "maxPool2dBackward: gradOutput [1, 1, 3, 3] does not match input [1, 1, 4, 4] and 4 saved positions");
        iae(() -> Pooling.maxPool2dBackward(Tensor.zeros(1, 2, 2, 2), new int[8], shape(1, 1, 4, 4)),
                "maxPool2dBackward: gradOutput [1, 2, 2, 2] does not match input [1, 1, 4, 4]");
        iae(() -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 1, 4, 4), 0, 2),
                "adaptiveAvgPool2d: needs a [N, C, H, W] input and a positive output size, got [1, 1, 4, 4] -> (0, 2)");
        iae(() -> Pooling.adaptiveAvgPool2d(Tensor.zeros(4, 4), 2, 2), "adaptiveAvgPool2d: needs a [N, C, H, W] input", "got [4, 4] -> (2, 2)");
        iae(() -> Pooling.adaptiveAvgPool2dBackward(Tensor.zeros(1, 2, 2, 2), shape(1, 1, 4, 4)),
                "adaptiveAvgPool2dBackward: gradOutput [1, 2, 2, 2] does not match input [1, 1, 4, 4]");
        iae(() -> Pooling.adaptiveAvgPool2dBackward(Tensor.zeros(1, 1, 2, 2), shape(1, 4, 4)),
                "adaptiveAvgPool2dBackward: gradOutput [1, 1, 2, 2] does not match input [1, 4, 4]");
    }

    @Test
    void onlyTheBatchMayBeEmpty() {
        // As PyTorch: an empty plane used to give -inf (max), zeros (padded average) or NaN (adaptive).
        iae(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 0, 3), Pool2dSpec.of(2).withPadding(1)),
                "maxPool2d: input [1, 1, 0, 3] has an empty or negative dim; C, H and W must be at least 1 (only the batch N may be 0)");
        iae(() -> Pooling.avgPool2d(Tensor.zeros(1, 0, 2, 2), Pool2dSpec.of(2)), "avgPool2d: input [1, 0, 2, 2] has an empty or negative dim");
        iae(() -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 1, 3, 0), 2, 2), "adaptiveAvgPool2d: input [1, 1, 3, 0] has an empty or negative dim");
        iae(() -> Pooling.adaptiveAvgPool2dBackward(Tensor.zeros(1, 1, 2, 2), shape(1, 1, -1, 4)),
                "adaptiveAvgPool2dBackward: input [1, 1, -1, 4] has an empty or negative dim");
        exact(Pooling.maxPool2d(Tensor.zeros(0, 2, 4, 4), Pool2dSpec.of(2)).output(), shape(0, 2, 2, 2));
        exact(Pooling.avgPool2d(Tensor.zeros(0, 2, 4, 4), Pool2dSpec.of(2)), shape(0, 2, 2, 2));
        exact(Pooling.adaptiveAvgPool2d(Tensor.zeros(0, 2, 4, 4), 1, 1), shape(0, 2, 1, 1));
    }

    @Test
    void maxPoolBackwardChecksTheSavedPositions() {
        // A position outside the plane used to throw ArrayIndexOutOfBoundsException (or land in another plane).
        ioobe(() -> Pooling.maxPool2dBackward(Tensor.ones(1, 1, 2, 2), new int[] {0, 1, 16, 3}, shape(1, 1, 4, 4)),
                "maxPool2dBackward: saved position 16 at 2 is outside an input plane of 16 elements (input [1, 1, 4, 4])");
        ioobe(() -> Pooling.maxPool2dBackward(Tensor.ones(1, 1, 1, 1), new int[] {-2}, shape(1, 1, 4, 4)),
                "maxPool2dBackward: saved position -2 at 0");
        // -1 marks a window that held only padding, as a dilated one can: it sends its gradient nowhere.
        Pool2dSpec dilated = new Pool2dSpec(2, 2, 1, 1, 1, 1, 2, 2);
        Pooling.MaxPoolResult r = Pooling.maxPool2d(Tensor.ones(1, 1, 1, 1), dilated);
        assertArrayEquals(new int[] {-1}, r.argmax());
        exact(Pooling.maxPool2dBackward(Tensor.ones(1, 1, 1, 1), r.argmax(), shape(1, 1, 1, 1)), shape(1, 1, 1, 1), 0);
    }
}
