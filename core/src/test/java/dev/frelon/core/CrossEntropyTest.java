package dev.frelon.core;

import dev.frelon.core.CrossEntropy.Options;
import dev.frelon.core.Reduction;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.frelon.core.Check.close;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.ioobe;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class CrossEntropyTest {

    private static final Tensor LOGITS = Tensor.of(new float[][] {{1, 2, 3}, {1, 1, 1}});
    private static final Tensor TARGETS = Tensor.of(new float[] {2, 0});
    /** -log softmax([1, 2, 3])[2] and -log(1/3). */
    private static final double L0 = Math.log(1 + Math.exp(-1) + Math.exp(-2)), L1 = Math.log(3);

    private static Options opts(Reduction r, Tensor w, int ignore, float eps) {
        return new Options(r, w, ignore, eps);
    }

    /** The loss of the CrossEntropy Javadoc, in double: per-sample losses and the mean's denominator. */
    private static double[] reference(Tensor logits, Tensor targets, Options o, double[] denominator) {
        int n = logits.size(0), c = logits.size(1);
        double[] per = new double[n];
        double denom = 0;
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                m = Math.max(m, logits.get(i, j));
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(logits.get(i, j) - m);
            }
            double lse = m + Math.log(s);
            int y = (int) targets.get(i);
            if (y == o.ignoreIndex()) {
                continue;
            }
            double wy = o.classWeights() == null ? 1 : o.classWeights().get(y);
            double smooth = 0;
            for (int j = 0; j < c; j++) {
                double wj = o.classWeights() == null ? 1 : o.classWeights().get(j);
                smooth += -wj * (logits.get(i, j) - lse);
            }
            double eps = o.labelSmoothing();
            // Without smoothing the term is absent (not 0·∞ = NaN when a logit is masked with -inf).
            per[i] = (1 - eps) * (-wy * (logits.get(i, y) - lse)) + (eps > 0 ? eps / c * smooth : 0);
            denom += wy;
        }
        denominator[0] = denom;
        return per;
    }

    private static double reduce(double[] per, Reduction r, double denom) {
        double s = 0;
        for (double v : per) {
            s += v;
        }
        return r == Reduction.MEAN ? s / denom : s;
    }

    private static void assertLoss(Tensor logits, Tensor targets, Options o, String what) {
        double[] denom = new double[1];
        double[] per = reference(logits, targets, o, denom);
        CrossEntropy.Result r = CrossEntropy.forward(logits, targets, o);
        if (o.reduction() == Reduction.NONE) {
            close(r.loss(), shape(per.length), 1e-5, 1e-6, per);
        } else {
            close(r.loss(), shape(), 1e-5, 1e-6, reduce(per, o.reduction(), denom[0]));
        }
        assertEquals(denom[0], r.denominator(), 1e-5, what + ": denominator");
    }

    // ---------------------------------------------------------------------------------- forward

    @Test
    void handComputedLosses() {
        close(CrossEntropy.forward(LOGITS, TARGETS, Options.DEFAULT).loss(), shape(), 1e-6, 0, (L0 + L1) / 2);
        close(CrossEntropy.forward(LOGITS, TARGETS, opts(Reduction.SUM, null, -100, 0)).loss(), shape(), 1e-6, 0, L0 + L1);
        close(CrossEntropy.forward(LOGITS, TARGETS, opts(Reduction.NONE, null, -100, 0)).loss(), shape(2), 1e-6, 0, L0, L1);
        // PyTorch: F.cross_entropy(tensor([[1., 2., 3.]]), tensor([2])) == 0.4076
        assertEquals(0.4076, CrossEntropy.forward(LOGITS.narrow(0, 0, 1), TARGETS.narrow(0, 0, 1), Options.DEFAULT).loss().item(), 1e-4);
        // Label smoothing 0.1: 0.9 * L0 + 0.1 / 3 * (sum of -logp) with -logp = L0 + [2, 1, 0].
        close(CrossEntropy.forward(LOGITS.narrow(0, 0, 1), TARGETS.narrow(0, 0, 1), opts(Reduction.MEAN, null, -100, 0.1f)).loss(),
                shape(), 1e-6, 0, 0.9 * L0 + 0.1 / 3 * (3 * L0 + 3));
        // Class weights [1, 2, 0.5]: the mean divides by the targets' weights.
        Tensor w = Tensor.of(new float[] {1, 2, 0.5f});
        close(CrossEntropy.forward(LOGITS, TARGETS, opts(Reduction.MEAN, w, -100, 0)).loss(), shape(), 1e-6, 0, (0.5 * L0 + L1) / 1.5);
        close(CrossEntropy.forward(LOGITS, TARGETS, opts(Reduction.SUM, w, -100, 0)).loss(), shape(), 1e-6, 0, 0.5 * L0 + L1);
        close(CrossEntropy.forward(LOGITS, TARGETS, opts(Reduction.NONE, w, -100, 0)).loss(), shape(2), 1e-6, 0, 0.5 * L0, L1);
        // Ignored samples contribute nothing, neither to the sum nor to the mean's denominator.
        Tensor ignored = Tensor.of(new float[] {2, -100});
        close(CrossEntropy.forward(LOGITS, ignored, Options.DEFAULT).loss(), shape(), 1e-6, 0, L0);
        close(CrossEntropy.forward(LOGITS, ignored, opts(Reduction.NONE, null, -100, 0)).loss(), shape(2), 1e-6, 0, L0, 0);
        close(CrossEntropy.forward(LOGITS, Tensor.of(new float[] {1, 0}), opts(Reduction.MEAN, null, 1, 0)).loss(), shape(), 1e-6, 0, L1);
        assertEquals(1f, CrossEntropy.forward(LOGITS, ignored, Options.DEFAULT).denominator());
        // Everything ignored: the mean is 0/0, as PyTorch.
        assertTrue(Float.isNaN(CrossEntropy.forward(LOGITS, Tensor.full(-100f, 2), Options.DEFAULT).loss().item()));
        assertEquals(0f, CrossEntropy.forward(LOGITS, Tensor.full(-100f, 2), opts(Reduction.SUM, null, -100, 0)).loss().item());
    }

    @Test
    void probabilitiesAreTheSoftmax() {
        CrossEntropy.Result r = CrossEntropy.forward(LOGITS, TARGETS, Options.DEFAULT);
        assertTrue(r.probabilities().allClose(LOGITS.softmax(1), 1e-6f, 1e-7f));
        assertArrayEquals(new int[] {2, 0}, r.targets());
        assertEquals(Options.DEFAULT, r.options());
        assertEquals(2f, r.denominator());
        // The logits are left alone.
        assertEquals(Tensor.of(new float[][] {{1, 2, 3}, {1, 1, 1}}), LOGITS);
    }

    @Test
    void everyOptionCombinationMatchesTheFormula() {
        Tensor z = Check.random(1, 6, 5).mul(3f);
        Tensor w = Tensor.of(new float[] {0.5f, 1, 2, 0.25f, 1.5f});
        for (Reduction r : Reduction.values()) {
            for (Tensor weights : new Tensor[] {null, w}) {
                for (float eps : new float[] {0, 0.1f, 0.5f}) {
                    for (int ignore : new int[] {-100, 2}) {
                        // With ignore index 2 the samples of class 2 drop out; otherwise one sample says -100.
                        Tensor y = ignore == -100 ? Tensor.of(new float[] {0, 4, 2, -100, 2, 1})
                                : Tensor.of(new float[] {0, 4, 2, 3, 2, 1});
                        Options o = opts(r, weights, ignore, eps);
                        assertLoss(z, y, o, o.toString());
                        assertLoss(z.t().contiguous().t(), y, o, o + " on a transposed view");
                    }
                }
            }
        }
    }

    @Test
    void hugeLogitsStayFinite() {
        Tensor z = Tensor.of(new float[][] {{1e4f, -1e4f}, {1e4f, -1e4f}});
        Tensor loss = CrossEntropy.forward(z, Tensor.of(new float[] {1, 0}), opts(Reduction.NONE, null, -100, 0)).loss();
        close(loss, shape(2), 1e-6, 0, 2e4, 0);
        Tensor g = CrossEntropy.backward(CrossEntropy.forward(z, Tensor.of(new float[] {1, 0}), Options.DEFAULT), Tensor.scalar(1f));
        close(g, shape(2, 2), 1e-6, 1e-7, 0.5, -0.5, 0, 0);
    }

    // ---------------------------------------------------------------------------------- backward

    @Test
    void handComputedGradient() {
        // Mean over two samples: (softmax - onehot) / 2.
        CrossEntropy.Result r = CrossEntropy.forward(LOGITS, TARGETS, Options.DEFAULT);
        Tensor g = CrossEntropy.backward(r, Tensor.scalar(1f));
        double e1 = Math.exp(1), e2 = Math.exp(2), e3 = Math.exp(3), s = e1 + e2 + e3;
        close(g, shape(2, 3), 1e-6, 1e-7, e1 / s / 2, e2 / s / 2, (e3 / s - 1) / 2, (1 / 3.0 - 1) / 2, 1 / 6.0, 1 / 6.0);
        // The upstream gradient scales it.
        assertTrue(CrossEntropy.backward(r, Tensor.scalar(3f)).allClose(g.mul(3f), 1e-6f, 1e-7f));
        // Rows of the gradient sum to zero when nothing is smoothed or weighted.
        for (float v : g.sum(1).toArray()) {
            assertEquals(0f, v, 1e-7f);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor z = Check.random(2, 4, 5).mul(2f);
        Tensor y = Tensor.of(new float[] {3, -100, 0, 3});
        Tensor w = Tensor.of(new float[] {0.5f, 1, 2, 0.25f, 1.5f});
        Tensor perSample = Check.random(3, 4);
        for (Reduction r : Reduction.values()) {
            for (Tensor weights : new Tensor[] {null, w}) {
                for (float eps : new float[] {0, 0.2f}) {
                    Options o = opts(r, weights, -100, eps);
                    CrossEntropy.Result res = CrossEntropy.forward(z, y, o);
                    Tensor upstream = r == Reduction.NONE ? perSample : Tensor.scalar(0.7f);
                    Tensor g = CrossEntropy.backward(res, upstream);
                    double[] fd = ConvolutionTest.finiteDifferences(z, t -> CrossEntropy.forward(t, y, o).loss(), upstream, 1e-2);
                    float[] got = g.toArray();
                    for (int i = 0; i < got.length; i++) {
                        if (!(Math.abs(got[i] - fd[i]) <= 1e-2 * Math.abs(fd[i]) + 2e-4)) {
                            fail(o + " [" + i + "]: finite differences " + fd[i] + ", backward " + got[i]);
                        }
                    }
                    // The ignored sample gets no gradient.
                    for (int j = 0; j < 5; j++) {
                        assertEquals(0f, g.get(1, j), o.toString());
                    }
                }
            }
        }
    }

    /** The gradient of the CrossEntropy Javadoc, in double, for upstream gradients g (one, or one per sample). */
    private static double[] referenceGradient(Tensor logits, Tensor targets, Options o, float[] g) {
        int n = logits.size(0), c = logits.size(1);
        double[] denom = new double[1];
        reference(logits, targets, o, denom);
        double scale = o.reduction() == Reduction.MEAN ? 1 / denom[0] : 1;
        double eps = o.labelSmoothing(), wAll = 0;
        for (int j = 0; j < c; j++) {
            wAll += o.classWeights() == null ? 1 : o.classWeights().get(j);
        }
        double[] dz = new double[n * c];
        for (int i = 0; i < n; i++) {
            int y = (int) targets.get(i);
            if (y == o.ignoreIndex()) {
                continue;
            }
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < c; j++) {
                m = Math.max(m, logits.get(i, j));
            }
            for (int j = 0; j < c; j++) {
                s += Math.exp(logits.get(i, j) - m);
            }
            double gi = (g.length == 1 ? g[0] : g[i]) * scale;
            double wy = o.classWeights() == null ? 1 : o.classWeights().get(y);
            for (int j = 0; j < c; j++) {
                double p = Math.exp(logits.get(i, j) - m) / s, wj = o.classWeights() == null ? 1 : o.classWeights().get(j);
                dz[i * c + j] = gi * ((1 - eps) * wy * (p - (j == y ? 1 : 0)) + eps / c * (wAll * p - wj));
            }
        }
        return dz;
    }

    @Test
    void wideRowsOddSizesAndLayoutsMatchTheDoubleReference() {
        // Rows longer than a vector with odd tails, a spread wide enough that some probabilities underflow,
        // masked (-inf) logits, and three storage layouts of the same values.
        int[][] shapes = {{3, 37}, {5, 1001}, {2, 16}, {4, 1}, {9, 130}};
        long seed = 30;
        for (int[] sh : shapes) {
            int n = sh[0], c = sh[1];
            Tensor z = Check.random(seed++, n, c).mul(c > 100 ? 40f : 3f);
            if (c > 2) {
                z.set(Float.NEGATIVE_INFINITY, 0, 1);
            }
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                t[i] = (i * 7 + 3) % c;
            }
            t[n - 1] = -100;
            Tensor y = Tensor.of(t);
            Tensor w = Check.random(seed++, c).abs().add(0.1f);
            Tensor tall = Tensor.zeros(n + 3, c);
            Tensor offset = tall.narrow(0, 2, n).copyFrom(z);
            for (Options o : new Options[] {Options.DEFAULT, opts(Reduction.NONE, w, -100, 0.1f), opts(Reduction.SUM, null, -100, 0.2f)}) {
                float[] g = o.reduction() == Reduction.NONE ? Check.random(seed++, n).toArray() : new float[] {0.7f};
                Tensor upstream = o.reduction() == Reduction.NONE ? Tensor.of(g) : Tensor.scalar(g[0]);
                double[] expected = referenceGradient(z, y, o, g);
                for (Tensor layout : new Tensor[] {z, z.t().contiguous().t(), offset}) {
                    String what = Check.str(sh) + " " + o;
                    assertLoss(layout, y, o, what);
                    CrossEntropy.Result r = CrossEntropy.forward(layout, y, o);
                    Check.close(CrossEntropy.backward(r, upstream).toArray(), expected, 1e-5, 1e-7);
                    for (float v : r.probabilities().sum(1).toArray()) {
                        assertEquals(1f, v, 1e-5f, what + ": probabilities sum to 1");
                    }
                    if (c > 2) {
                        assertEquals(0f, r.probabilities().get(0, 1), what + ": a masked logit");
                    }
                }
            }
        }
    }

    @Test
    void nanLogitsPoisonOnlyTheirRow() {
        Tensor z = Check.random(7, 3, 50);
        z.set(Float.NaN, 1, 17);
        CrossEntropy.Result r = CrossEntropy.forward(z, Tensor.of(new float[] {0, 1, 2}), opts(Reduction.NONE, null, -100, 0));
        float[] loss = r.loss().toArray();
        assertTrue(Float.isFinite(loss[0]) && Float.isNaN(loss[1]) && Float.isFinite(loss[2]), Arrays.toString(loss));
        for (int j = 0; j < 50; j++) {
            assertTrue(Float.isNaN(r.probabilities().get(1, j)), "row 1 is NaN at " + j);
            assertTrue(Float.isFinite(r.probabilities().get(0, j)) && Float.isFinite(r.probabilities().get(2, j)));
        }
        assertTrue(Float.isNaN(CrossEntropy.forward(z, Tensor.of(new float[] {0, 1, 2}), Options.DEFAULT).loss().item()));
    }

    // ---------------------------------------------------------------------------------- errors

    @Test
    void errors() {
        iae(() -> CrossEntropy.forward(Tensor.zeros(3), TARGETS, Options.DEFAULT), "crossEntropy: logits must be [N, C], got [3]");
        iae(() -> CrossEntropy.forward(LOGITS, Tensor.zeros(3), Options.DEFAULT),
                "crossEntropy: targets must be [2] for logits [2, 3], got [3]");
        iae(() -> CrossEntropy.forward(LOGITS, Tensor.zeros(2, 1), Options.DEFAULT),
                "crossEntropy: targets must be [2] for logits [2, 3], got [2, 1]");
        ioobe(() -> CrossEntropy.forward(LOGITS, Tensor.of(new float[] {0, 3}), Options.DEFAULT),
                "crossEntropy: target 3.0 at position 1 is not an integer in [0, 3)");
        ioobe(() -> CrossEntropy.forward(LOGITS, Tensor.of(new float[] {0.5f, 1}), Options.DEFAULT),
                "crossEntropy: target 0.5 at position 0 is not an integer in [0, 3)");
        ioobe(() -> CrossEntropy.forward(LOGITS, Tensor.of(new float[] {-1, 1}), Options.DEFAULT),
                "crossEntropy: target -1.0 at position 0");
        iae(() -> CrossEntropy.forward(LOGITS, TARGETS, opts(Reduction.MEAN, Tensor.ones(2), -100, 0)),
                "crossEntropy: class weights must be [3], got [2]");
        iae(() -> opts(Reduction.MEAN, null, -100, 1f), "crossEntropy: labelSmoothing must be in [0, 1), got 1.0");
        iae(() -> opts(Reduction.MEAN, null, -100, -0.1f), "crossEntropy: labelSmoothing must be in [0, 1), got -0.1");
        iae(() -> opts(Reduction.MEAN, null, -100, Float.NaN), "crossEntropy: labelSmoothing must be in [0, 1), got NaN");
        iae(() -> opts(null, null, -100, 0), "crossEntropy: reduction must not be null");
        CrossEntropy.Result mean = CrossEntropy.forward(LOGITS, TARGETS, Options.DEFAULT);
        iae(() -> CrossEntropy.backward(mean, Tensor.ones(2)), "crossEntropy backward: gradient has shape [2], expected []");
        CrossEntropy.Result none = CrossEntropy.forward(LOGITS, TARGETS, opts(Reduction.NONE, null, -100, 0));
        iae(() -> CrossEntropy.backward(none, Tensor.scalar(1f)), "crossEntropy backward: gradient has shape [], expected [2]");
    }
}
