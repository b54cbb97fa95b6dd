package dev.frelon.core;

import dev.frelon.core.kernel.Parallel;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static dev.frelon.core.Check.close;
import static dev.frelon.core.Check.exact;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.ioobe;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorReductionTest {

    private static Tensor x234() {
        return Tensor.arange(24).reshape(2, 3, 4);
    }

    /**
     * Reference reduction: groups the elements of {@code t} by their kept indices and applies {@code f} to each
     * group's values (in row-major order of the reduced dims).
     */
    private static Tensor reference(Tensor t, int[] dims, boolean keepDim, ToDoubleFunction<double[]> f) {
        int[] s = t.shape();
        boolean[] red = new boolean[s.length];
        for (int d : dims) {
            red[d < 0 ? d + s.length : d] = true;
        }
        List<Integer> outShapeL = new ArrayList<>();
        List<Integer> keptShape = new ArrayList<>();
        int redCount = 1;
        for (int d = 0; d < s.length; d++) {
            if (red[d]) {
                redCount *= s[d];
                if (keepDim) {
                    outShapeL.add(1);
                }
            } else {
                outShapeL.add(s[d]);
                keptShape.add(s[d]);
            }
        }
        int outN = keptShape.stream().reduce(1, (x, y) -> x * y);
        double[][] groups = new double[outN][redCount];
        int[] fill = new int[outN];
        int n = t.numel();
        for (int p = 0; p < n; p++) {
            int[] idx = Check.unravel(p, s);
            int key = 0;
            for (int d = 0; d < s.length; d++) {
                if (!red[d]) {
                    key = key * s[d] + idx[d];
                }
            }
            groups[key][fill[key]++] = t.get(idx);
        }
        float[] out = new float[outN];
        for (int i = 0; i < outN; i++) {
            out[i] = (float) f.applyAsDouble(groups[i]);
        }
        int[] os = outShapeL.stream().mapToInt(Integer::intValue).toArray();
        return Tensor.of(out, os.length == 0 ? new int[] {1} : os).reshape(os);
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static void assertClose(Tensor expected, Tensor got, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
        close(got.toArray(), Check.toDouble(expected.toArray()), rtol, atol);
    }

    // ---------------------------------------------------------------------------------- hand-computed

    @Test
    void sumsOfArange() {
        Tensor x = x234();
        exact(x.sum(), shape(), 276);
        // x[b][i][j] = 12b + 4i + j
        exact(x.sum(0), shape(3, 4), 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34);
        exact(x.sum(1), shape(2, 4), 12, 15, 18, 21, 48, 51, 54, 57);
        exact(x.sum(2), shape(2, 3), 6, 22, 38, 54, 70, 86);
        exact(x.sum(-1), shape(2, 3), 6, 22, 38, 54, 70, 86);
        exact(x.sum(new int[] {0, 2}, false), shape(3), 60, 92, 124);
        exact(x.sum(new int[] {0, 2}, true), shape(1, 3, 1), 60, 92, 124);
        exact(x.sum(new int[] {1}, true), shape(2, 1, 4), 12, 15, 18, 21, 48, 51, 54, 57);
        exact(x.sum(new int[] {0, 1, 2}, true), shape(1, 1, 1), 276);
        exact(x.sum(new int[] {2, 0, 1}, false), shape(), 276);
        // No dims: nothing is reduced.
        assertEquals(x, x.sum(new int[0], false));
    }

    @Test
    void maxAndMinAlongADimReturnValuesWithTheirIndicesAsPyTorch() {
        // torch.tensor([[1., 9, 9], [4, 2, float('nan')], [-3, -3, -5]]).max(1) -> values [9, nan, -3], indices [1, 2, 0]
        Tensor x = Tensor.of(new float[] {1, 9, 9, 4, 2, Float.NaN, -3, -3, -5}, 3, 3);
        IndexedValues<Tensor> max = x.max(1);
        exact(max.values(), shape(3), 9, Float.NaN, -3);
        exact(max.indices(), shape(3), 1, 2, 0);
        IndexedValues<Tensor> min = x.min(1, true);
        exact(min.values(), shape(3, 1), 1, Float.NaN, -5);
        exact(min.indices(), shape(3, 1), 0, 2, 2);
        IndexedValues<Tensor> cols = x.max(0);
        exact(cols.values(), shape(3), 4, 9, Float.NaN);
        exact(cols.indices(), shape(3), 1, 0, 1);
        // The values are where the indices point, whatever the dim.
        Tensor r = Tensor.randn(new int[] {4, 5, 6}, 3);
        for (int d = 0; d < 3; d++) {
            IndexedValues<Tensor> m = r.max(d, true);
            assertEquals(m.values(), r.gather(d, m.indices()));
        }
    }

    @Test
    void meanMaxMinArg() {
        Tensor x = x234();
        exact(x.mean(), shape(), 11.5f);
        exact(x.mean(2), shape(2, 3), 1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f);
        exact(x.mean(new int[] {0, 1}, true), shape(1, 1, 4), 10, 11, 12, 13);
        exact(x.max(), shape(), 23);
        exact(x.min(), shape(), 0);
        exact(x.amax(1, false), shape(2, 4), 8, 9, 10, 11, 20, 21, 22, 23);
        exact(x.amin(0, true), shape(1, 3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Tensor m = Tensor.of(new float[] {1, 5, 7, 2}, 2, 2);
        exact(m.argmax(), shape(), 2);
        exact(m.argmin(), shape(), 0);
        exact(m.argmax(0, false), shape(2), 1, 0);
        exact(m.argmax(1, true), shape(2, 1), 1, 0);
        exact(m.argmin(1, false), shape(2), 0, 1);
        exact(m.argmin(-2, false), shape(2), 0, 1);
        // Ties: the first one wins.
        exact(Tensor.of(new float[] {3, 1, 3, 1}).argmax(), shape(), 0);
        exact(Tensor.of(new float[] {3, 1, 3, 1}).argmin(), shape(), 1);
        // NaN is the largest (and propagates through max/min).
        Tensor withNaN = Tensor.of(new float[] {1, Float.NaN, 3});
        exact(withNaN.argmax(), shape(), 1);
        exact(withNaN.argmin(), shape(), 1);
        assertTrue(Float.isNaN(withNaN.max().item()));
        assertTrue(Float.isNaN(withNaN.min().item()));
        exact(Tensor.of(new float[] {Float.NEGATIVE_INFINITY, -1}).max(), shape(), -1);
    }

    @Test
    void varianceAndStandardDeviation() {
        Tensor v = Tensor.of(new float[] {1, 2, 3, 4});
        close(v.var(), shape(), 1e-6, 0, 5.0 / 3);
        close(v.var(null, 0, false), shape(), 1e-6, 0, 1.25);
        close(v.var(null, 1, true), shape(1), 1e-6, 0, 5.0 / 3);
        close(v.std(), shape(), 1e-6, 0, Math.sqrt(5.0 / 3));
        close(v.std(null, 0, false), shape(), 1e-6, 0, Math.sqrt(1.25));
        // Against Commons Math on every dim set of a random tensor.
        Tensor x = Check.random(3, 4, 5, 6);
        int[][] dimSets = {{0}, {1}, {2}, {-1}, {0, 2}, {1, 2}, {0, 1, 2}};
        for (int[] dims : dimSets) {
            for (boolean keep : new boolean[] {false, true}) {
                String what = Check.str(dims) + " keep " + keep;
                assertClose(reference(x, dims, keep, a -> new Variance(true).evaluate(a)), x.var(dims, 1, keep), 1e-5, 1e-6, what);
                assertClose(reference(x, dims, keep, a -> new Variance(false).evaluate(a)), x.var(dims, 0, keep), 1e-5, 1e-6, what);
                assertClose(reference(x, dims, keep, a -> new StandardDeviation(true).evaluate(a)), x.std(dims, 1, keep), 1e-5, 1e-6, what);
                assertClose(reference(x, dims, keep, a -> new StandardDeviation(false).evaluate(a)), x.std(dims, 0, keep), 1e-5, 1e-6, what);
            }
        }
        // One sample: the unbiased variance divides by zero, as PyTorch.
        assertTrue(Float.isNaN(Tensor.of(new float[] {5}).var().item()));
        exact(Tensor.of(new float[] {5}).var(null, 0, false), shape(), 0);
        // Far from zero the two-pass formula keeps its precision.
        close(Tensor.of(new float[] {10000, 10001, 10002}).var(), shape(), 1e-3, 0, 1.0);
    }

    @Test
    void logSumExpIsStable() {
        close(Tensor.of(new float[] {0, (float) Math.log(2), (float) Math.log(3)}).logSumExp(0, false), shape(), 1e-6, 0, Math.log(6));
        close(Tensor.of(new float[] {1000, 1000}).logSumExp(0, false), shape(), 1e-7, 0, 1000 + Math.log(2));
        close(Tensor.of(new float[] {-1000, -1000}).logSumExp(0, true), shape(1), 1e-7, 0, -1000 + Math.log(2));
        exact(Tensor.of(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}).logSumExp(0, false), shape(), Float.NEGATIVE_INFINITY);
        exact(Tensor.of(new float[] {1, Float.POSITIVE_INFINITY}).logSumExp(0, false), shape(), Float.POSITIVE_INFINITY);
        Tensor x = Check.random(12, 3, 4, 5);
        for (int d = -3; d < 3; d++) {
            for (boolean keep : new boolean[] {false, true}) {
                int[] dims = {d};
                assertClose(reference(x, dims, keep, a -> {
                    double s = 0;
                    for (double v : a) {
                        s += Math.exp(v);
                    }
                    return Math.log(s);
                }), x.logSumExp(d, keep), 1e-6, 1e-6, "logSumExp " + d);
            }
        }
        // The log-sum-exp of nothing is log 0.
        exact(Tensor.zeros(2, 0).logSumExp(1, false), shape(2), Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    // ---------------------------------------------------------------------------------- against the reference

    private record Red(String name, Function<Tensor, Tensor> all, DimRed byDims, ToDoubleFunction<double[]> ref,
                       boolean multiDim) {
    }

    @FunctionalInterface
    private interface DimRed {
        Tensor apply(Tensor t, int[] dims, boolean keep);
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double argBest(double[] a, boolean max) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (max ? a[i] > a[best] : a[i] < a[best]) {
                best = i;
            }
        }
        return best;
    }

    private static final List<Red> REDUCTIONS = List.of(
            new Red("sum", Tensor::sum, Tensor::sum, TensorReductionTest::sum, true),
            new Red("mean", Tensor::mean, Tensor::mean, a -> sum(a) / a.length, true),
            new Red("max", Tensor::max, (t, d, k) -> t.amax(d[0], k), TensorReductionTest::max, false),
            new Red("min", Tensor::min, (t, d, k) -> t.amin(d[0], k), a -> -max(java.util.Arrays.stream(a).map(v -> -v).toArray()), false),
            new Red("argmax", Tensor::argmax, (t, d, k) -> t.argmax(d[0], k), a -> argBest(a, true), false),
            new Red("argmin", Tensor::argmin, (t, d, k) -> t.argmin(d[0], k), a -> argBest(a, false), false),
            new Red("var", Tensor::var, (t, d, k) -> t.var(d, 1, k), a -> new Variance(true).evaluate(a), true),
            new Red("std", t -> t.std(null, 0, false), (t, d, k) -> t.std(d, 0, k), a -> new StandardDeviation(false).evaluate(a), true));

    @Test
    void everyReductionOnEveryLayoutAndDimSet() {
        Tensor x = Check.random(21, 3, 4, 5);
        Tensor[] layouts = Check.layouts(x);
        // Two more layouts: a permuted view and an expanded one.
        Tensor permuted = Check.random(21, 3, 4, 5).permute(2, 0, 1).contiguous().permute(1, 2, 0);
        Tensor expanded = Check.random(22, 3, 1, 5).expand(3, 4, 5);
        int[][] dimSets = {{0}, {1}, {2}, {-2}, {0, 1}, {0, 2}, {2, 1}, {0, 1, 2}};
        for (Tensor base : new Tensor[] {x, expanded}) {
            List<Tensor> all = new ArrayList<>(List.of(base == x ? layouts : Check.layouts(base)));
            if (base == x) {
                all.add(permuted);
            } else {
                all.add(expanded);
            }
            for (int l = 0; l < all.size(); l++) {
                Tensor t = all.get(l);
                assertEquals(base, t);
                for (Red r : REDUCTIONS) {
                    String what = r.name() + " layout " + l;
                    int[] alld = {0, 1, 2};
                    Tensor whole = r.all().apply(t);
                    assertClose(reference(base, alld, false, r.ref()), whole, 1e-5, 1e-5, what + " all");
                    for (int[] dims : dimSets) {
                        if (dims.length > 1 && !r.multiDim()) {
                            continue;
                        }
                        for (boolean keep : new boolean[] {false, true}) {
                            assertClose(reference(base, dims, keep, r.ref()), r.byDims().apply(t, dims, keep), 1e-5, 1e-5,
                                    what + " dims " + Check.str(dims) + " keep " + keep);
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeReductionsRunInParallelAndStayAccurate() {
        int old = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                Tensor x = Check.random(31, 1000, 100);
                assertClose(reference(x, new int[] {1}, false, TensorReductionTest::sum), x.sum(1), 1e-5, 1e-4, "rows");
                assertClose(reference(x, new int[] {0}, false, TensorReductionTest::sum), x.sum(0), 1e-5, 1e-4, "cols");
                assertClose(reference(x, new int[] {1}, false, TensorReductionTest::max), x.amax(1, false), 0, 0, "max");
                assertClose(reference(x, new int[] {0, 1}, false, TensorReductionTest::sum), x.sum(), 1e-5, 1e-2, "all");
                exact(Tensor.ones(100_000).sum(), shape(), 100_000);
                exact(Tensor.ones(1000, 100).sum(1), shape(1000), Tensor.full(100f, 1000).toArray());
            }
        } finally {
            Parallel.setThreads(old);
        }
    }

    // ---------------------------------------------------------------------------------- empty and 0-d

    @Test
    void emptyReductions() {
        exact(Tensor.zeros(0).sum(), shape(), 0);
        exact(Tensor.zeros(2, 0).sum(1), shape(2), 0, 0);
        exact(Tensor.zeros(0, 3).sum(0), shape(3), 0, 0, 0);
        exact(Tensor.zeros(0, 3).sum(new int[] {0}, true), shape(1, 3), 0, 0, 0);
        exact(Tensor.zeros(0, 3).sum(1), shape(0));
        assertTrue(Float.isNaN(Tensor.zeros(0).mean().item()));
        exact(Tensor.zeros(2, 0).mean(1), shape(2), Float.NaN, Float.NaN);
        // Reducing over nothing has no maximum.
        iae(() -> Tensor.zeros(0).max(), "max: cannot reduce over an empty dim (shape [0])");
        iae(() -> Tensor.zeros(0).min(), "min: cannot reduce over an empty dim (shape [0])");
        iae(() -> Tensor.zeros(2, 0).amax(1, false), "max: cannot reduce over an empty dim (shape [2, 0])");
        iae(() -> Tensor.zeros(2, 0).amin(-1, true), "min: cannot reduce over an empty dim (shape [2, 0])");
        iae(() -> Tensor.zeros(0).argmax(), "argmax: cannot reduce over an empty dim");
        iae(() -> Tensor.zeros(3, 0).argmin(1, false), "argmin: cannot reduce over an empty dim (shape [3, 0])");
        // ... but keeping an empty dim while reducing a full one is fine.
        exact(Tensor.zeros(0, 3).amax(1, false), shape(0));
        exact(Tensor.zeros(0, 3).argmax(1, true), shape(0, 1));
    }

    @Test
    void zeroDimReductions() {
        Tensor s = Tensor.scalar(5f);
        exact(s.sum(), shape(), 5);
        exact(s.sum(0), shape(), 5);
        exact(s.sum(new int[] {-1}, true), shape(), 5);
        exact(s.mean(), shape(), 5);
        exact(s.max(), shape(), 5);
        exact(s.amax(0, false), shape(), 5);
        exact(s.argmax(), shape(), 0);
        exact(s.argmin(0, true), shape(), 0);
        exact(s.logSumExp(0, false), shape(), 5);
        exact(s.var(null, 0, false), shape(), 0);
        ioobe(() -> s.sum(1), "sum: dim 1 is out of range for a tensor of rank 0");
    }

    @Test
    void dimErrors() {
        Tensor x = x234();
        iae(() -> x.sum(new int[] {0, 0}, false), "sum: dim 0 appears more than once in [0, 0]");
        iae(() -> x.mean(new int[] {1, -2}, false), "mean: dim -2 appears more than once in [1, -2]");
        iae(() -> x.var(new int[] {2, 2}, 1, false), "var: dim 2 appears more than once in [2, 2]");
        ioobe(() -> x.sum(3), "sum: dim 3 is out of range for a tensor of rank 3 (expected -3 <= dim < 3)");
        ioobe(() -> x.amax(-4, false), "max: dim -4 is out of range for a tensor of rank 3");
        ioobe(() -> x.argmax(3, false), "argmax: dim 3 is out of range");
        ioobe(() -> x.logSumExp(5, false), "logSumExp: dim 5 is out of range");
        ioobe(() -> x.std(new int[] {7}, 1, false), "dim 7 is out of range for a tensor of rank 3");
        ioobe(() -> x.softmax(3), "softmax: dim 3 is out of range for a tensor of rank 3");
        ioobe(() -> x.logSoftmax(-4), "logSoftmax: dim -4 is out of range");
    }

    @Test
    void reductionsDoNotModifyTheirInput() {
        Tensor x = Check.random(41, 4, 6);
        Tensor copy = x.copy();
        for (Red r : REDUCTIONS) {
            r.all().apply(x);
            r.byDims().apply(x, new int[] {1}, false);
            r.byDims().apply(x.t(), new int[] {0}, true);
        }
        x.logSumExp(1, false);
        assertEquals(copy, x);
        assertEquals(0, x.version());
    }

    // ---------------------------------------------------------------------------------- softmax

    private static Tensor softmaxReference(Tensor x, int dim, boolean log) {
        int[] s = x.shape();
        int d = dim < 0 ? dim + s.length : dim;
        Tensor lse = reference(x, new int[] {d}, true, a -> {
            double m = max(a), acc = 0;
            for (double v : a) {
                acc += Math.exp(v - m);
            }
            return m + Math.log(acc);
        });
        float[] out = new float[x.numel()];
        for (int p = 0; p < out.length; p++) {
            int[] idx = Check.unravel(p, s);
            int[] li = idx.clone();
            li[d] = 0;
            double v = x.get(idx) - (double) lse.get(li);
            out[p] = (float) (log ? v : Math.exp(v));
        }
        return Tensor.of(out, s.length == 0 ? new int[] {1} : s).reshape(s);
    }

    @Test
    void softmaxAlongEveryDim() {
        Tensor x = Check.random(51, 3, 4, 5).mul(3f);
        for (Tensor t : Check.layouts(x)) {
            for (int d = -3; d < 3; d++) {
                Tensor p = t.softmax(d);
                assertClose(softmaxReference(x, d, false), p, 1e-5, 1e-7, "softmax " + d);
                assertClose(softmaxReference(x, d, true), t.logSoftmax(d), 1e-5, 1e-6, "logSoftmax " + d);
                Tensor sums = p.sum(d);
                for (float v : sums.toArray()) {
                    assertEquals(1f, v, 1e-6f);
                }
                assertClose(p, t.logSoftmax(d).exp(), 1e-5, 1e-7, "exp(logSoftmax) " + d);
                assertTrue(p.isContiguous());
            }
        }
    }

    @Test
    void softmaxOfHugeLogitsIsFinite() {
        Tensor z = Tensor.of(new float[] {1e4f, -1e4f, 0, 1e4f, 1e4f, -1e4f}, 2, 3);
        exact(z.softmax(1), shape(2, 3), 1, 0, 0, 0.5f, 0.5f, 0);
        // Within float resolution at 1e4 (an ulp there is about 1e-3).
        close(z.logSoftmax(1), shape(2, 3), 0, 2e-3, 0, -2e4, -1e4, -Math.log(2), -Math.log(2), -2e4 - Math.log(2));
        exact(z.softmax(0), shape(2, 3), 0.5f, 0, 1, 0.5f, 1, 0);
        // A long row, for the SIMD loop.
        Tensor row = Tensor.full(-1e4f, 40);
        row.set(1e4f, 17);
        float[] p = row.softmax(0).toArray();
        for (int i = 0; i < 40; i++) {
            assertEquals(i == 17 ? 1f : 0f, p[i]);
        }
        exact(Tensor.of(new float[] {Float.NEGATIVE_INFINITY, 0}).softmax(0), shape(2), 0, 1);
        exact(Tensor.of(new float[] {Float.NEGATIVE_INFINITY, 0}).logSoftmax(0), shape(2), Float.NEGATIVE_INFINITY, 0);
    }

    @Test
    void softmaxEdgeShapes() {
        exact(Tensor.scalar(3f).softmax(0), shape(), 1);
        exact(Tensor.scalar(3f).logSoftmax(-1), shape(), 0);
        // A 0-d tensor takes dims 0 and -1 only, as PyTorch (any dim used to be accepted).
        ioobe(() -> Tensor.scalar(3f).softmax(1), "softmax: dim 1 is out of range for a tensor of rank 0 (expected -1 <= dim < 1)");
        ioobe(() -> Tensor.scalar(3f).logSoftmax(-2), "logSoftmax: dim -2 is out of range for a tensor of rank 0");
        exact(Tensor.zeros(2, 0).softmax(1), shape(2, 0));
        exact(Tensor.zeros(0, 3).softmax(1), shape(0, 3));
        exact(Tensor.of(new float[] {4, 7}, 2, 1).softmax(1), shape(2, 1), 1, 1);
        exact(Tensor.of(new float[] {4, 7}, 2, 1).logSoftmax(1), shape(2, 1), 0, 0);
    }

    @Test
    void softmaxLeavesItsInputAlone() {
        // Along the last dim of a dense tensor, and along dims whose move to the end is itself contiguous.
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        a.softmax(-1);
        exact(a, shape(2, 2), 1, 2, 3, 4);
        a.logSoftmax(1);
        exact(a, shape(2, 2), 1, 2, 3, 4);
        Tensor b = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        b.t().softmax(0);
        exact(b, shape(2, 2), 1, 2, 3, 4);
        Tensor c = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        c.softmax(0);
        c.logSoftmax(0);
        exact(c, shape(3, 1), 1, 2, 3);
        Tensor d = Tensor.of(new float[] {1, 2, 3});
        Tensor pd = d.softmax(0);
        exact(d, shape(3), 1, 2, 3);
        assertFalse(pd.sharesStorageWith(d));
        assertEquals(0, d.version());
    }
}
