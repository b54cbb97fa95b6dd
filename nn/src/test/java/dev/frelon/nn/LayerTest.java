package dev.frelon.nn;

import dev.frelon.autodiff.GradCheck;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each layer's forward against hand values or a naive computation, its gradients, and its shape errors. */
class LayerTest {

    private static final Rng RNG = new Rng(11);

    /** GradCheck through a module with respect to its input and all its parameters. */
    private static void gradCheckModule(Module m, Tensor input) {
        GradCheck.Report r = GradCheck.check(v -> m.forward(v[0]), m.parameters(), GradCheck.Options.DEFAULT, input);
        assertTrue(r.passed(), m.getClass().getSimpleName() + ": " + r);
    }

    @Test
    void linearForwardHandComputed() {
        Linear l = new Linear(2, 2);
        l.loadStateDict(java.util.Map.of("weight", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), "bias",
                Tensor.of(new float[] {0.5f, -1})), true);
        Variable y = l.forward(Tensor.of(new float[] {1, 1, 2, 0}, 2, 2));
        assertArrayEquals(new float[] {3.5f, 6f, 2.5f, 5f}, y.data().toArray(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().startsWith("Linear: expected input [..., 2], got shape [2, 3]"), e.getMessage());
    }

    @Test
    void linearGradientsWithRespectToWeightsAndInput() {
        Variable w = Variable.parameter(Tensor.randn(RNG, 3, 4));
        Variable b = Variable.parameter(Tensor.randn(RNG, 3));
        Tensor x = Tensor.randn(RNG, 5, 4);
        assertTrue(GradCheck.check(v -> dev.frelon.autodiff.NeuralOps.linear(v[0], v[1], v[2]), x, w.data(), b.data()).passed());
    }

    @Test
    void activationsMatchClosedForms() {
        Tensor x = Tensor.of(new float[] {-2f, -0.5f, 0.5f, 3f});
        assertArrayEquals(new float[] {0, 0, 0.5f, 3}, new ReLU().forward(x).data().toArray(), 0f);
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0.5f, 3}, new LeakyReLU().forward(x).data().toArray(), 1e-7f);
        float[] sig = new Sigmoid().forward(x).data().toArray();
        float[] th = new Tanh().forward(x).data().toArray();
        float[] ge = new GELU().forward(x).data().toArray();
        float[] gt = new GELU(true).forward(x).data().toArray();
        org.apache.commons.math3.distribution.NormalDistribution nd = new org.apache.commons.math3.distribution.NormalDistribution();
        float[] xs = x.toArray();
        for (int i = 0; i < xs.length; i++) {
            double v = xs[i];
            assertEquals(1 / (1 + Math.exp(-v)), sig[i], 1e-6);
            assertEquals(Math.tanh(v), th[i], 1e-6);
            assertEquals(v * nd.cumulativeProbability(v), ge[i], 1e-6);
            assertEquals(0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), gt[i], 1e-6);
        }
        float[] sm = new Softmax(0).forward(x).data().toArray();
        double z = 0;
        for (float v : xs) {
            z += Math.exp(v);
        }
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Math.exp(xs[i]) / z, sm[i], 1e-6);
        }
        assertArrayEquals(Softmax.log(0).forward(x).data().exp().toArray(), sm, 1e-6f);
    }

    /** Naive direct convolution, the independent reference. */
    private static float[] naiveConv(Tensor x, Tensor w, Tensor b, int stride, int pad) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), oc = w.size(0), k = w.size(2);
        int oh = (h + 2 * pad - k) / stride + 1, ow = (wd + 2 * pad - k) / stride + 1;
        float[] out = new float[n * oc * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < oc; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int s = 0; s < ow; s++) {
                        double acc = b == null ? 0 : b.get(o);
                        for (int ch = 0; ch < c; ch++) {
                            for (int p = 0; p < k; p++) {
                                for (int q = 0; q < k; q++) {
                                    int yy = r * stride - pad + p, xx = s * stride - pad + q;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                        acc += x.get(i, ch, yy, xx) * w.get(o, ch, p, q);
                                    }
                                }
                            }
                        }
                        out[((i * oc + o) * oh + r) * ow + s] = (float) acc;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void conv2dMatchesNaiveConvolutionAndSamePadding() {
        Conv2d conv = new Conv2d(3, 4, 3, Conv2d.Options.stride(2).withPadding(1), RNG);
        Tensor x = Tensor.randn(RNG, 2, 3, 7, 6);
        Variable y = conv.forward(x);
        assertArrayEquals(new int[] {2, 4, 4, 3}, y.shape());
        assertArrayEquals(naiveConv(x, conv.weight().data(), conv.bias().data(), 2, 1), y.data().toArray(), 1e-4f);
        Conv2d same = new Conv2d(2, 2, 5, Conv2d.Options.same());
        assertArrayEquals(new int[] {1, 2, 9, 9}, same.forward(Tensor.randn(RNG, 1, 2, 9, 9)).shape());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(2, 2, 4, Conv2d.Options.same()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(1, 2, 5, 5)));
        assertTrue(e.getMessage().startsWith("Conv2d: expected input [N, 3, H, W], got shape [1, 2, 5, 5]"), e.getMessage());
    }

    @Test
    void poolingLayers() {
        Tensor x = Tensor.arange(16).reshape(1, 1, 4, 4);
        assertArrayEquals(new float[] {5, 7, 13, 15}, new MaxPool2d(2).forward(x).data().toArray(), 0f);
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, new AvgPool2d(2).forward(x).data().toArray(), 0f);
        assertArrayEquals(new float[] {7.5f}, AdaptiveAvgPool2d.global().forward(x).data().toArray(), 0f);
        // Adaptive to (3, 3) on 4×4: windows [0,2),[1,3),[2,4) per axis.
        float[] a = new AdaptiveAvgPool2d(3, 3).forward(x).data().toArray();
        assertEquals((0 + 1 + 4 + 5) / 4f, a[0], 0f);
        assertEquals((10 + 11 + 14 + 15) / 4f, a[8], 0f);
        assertArrayEquals(new int[] {1, 16}, new Flatten().forward(x).shape());
    }

    @Test
    void dropoutTrainAndEval() {
        Dropout d = new Dropout(0.25f, new Rng(5));
        Tensor x = Tensor.ones(10_000);
        float[] y = d.forward(x).data().toArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(1f / 0.75f, v, 1e-6f);
            }
        }
        assertEquals(2500, zeros, 150, "about p of the elements are dropped");
        d.eval();
        assertArrayEquals(x.toArray(), d.forward(x).data().toArray(), 0f);
    }

    @Test
    void batchNormTrainingStatisticsAndEvalMode() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5f, 0.1f);
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20, 5, 30, 7, 40}, 4, 2);
        float[] y = bn.forward(x).data().toArray();
        // channel 0: mean 4, biased var 5; channel 1: mean 25, biased var 125
        assertEquals((1 - 4) / Math.sqrt(5 + 1e-5), y[0], 1e-5);
        assertEquals((40 - 25) / Math.sqrt(125 + 1e-5), y[7], 1e-5);
        // running: 0.9·init + 0.1·batch, with the unbiased variance (5·4/3, 125·4/3)
        assertArrayEquals(new float[] {0.4f, 2.5f}, bn.runningMean().toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.9f + 0.1f * 20f / 3f, 0.9f + 0.1f * 500f / 3f}, bn.runningVar().toArray(), 1e-4f);
        bn.eval();
        float[] e = bn.forward(Tensor.of(new float[] {0.4f, 2.5f}, 1, 2)).data().toArray();
        assertArrayEquals(new float[] {0f, 0f}, e, 1e-6f);
        BatchNorm2d bn2 = new BatchNorm2d(3);
        assertThrows(IllegalArgumentException.class, () -> bn2.forward(Tensor.zeros(2, 3, 4)));
        gradCheckBatchNorm();
    }

    private void gradCheckBatchNorm() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor x = Tensor.randn(RNG, 3, 2, 2, 2);
        assertTrue(GradCheck.check(v -> bn.forward(v[0]), x).passed());
    }

    @Test
    void layerNormAndEmbedding() {
        LayerNorm ln = new LayerNorm(3);
        float[] y = ln.forward(Tensor.of(new float[] {1, 2, 3, 2, 2, 8}, 2, 3)).data().toArray();
        double s1 = Math.sqrt(2.0 / 3 + 1e-5), s2 = Math.sqrt(8 + 1e-5);
        assertArrayEquals(new float[] {(float) (-1 / s1), 0f, (float) (1 / s1), (float) (-2 / s2), (float) (-2 / s2),
                (float) (4 / s2)}, y, 1e-5f);
        assertTrue(GradCheck.check(v -> new LayerNorm(4).forward(v[0]), Tensor.randn(RNG, 2, 4)).passed());
        Embedding emb = new Embedding(5, 2, new Rng(3));
        Variable out = emb.forward(Tensor.of(new float[] {4, 0, 4}, 3));
        assertArrayEquals(new int[] {3, 2}, out.shape());
        assertArrayEquals(emb.weight().data().select(0, 4).toArray(), out.data().select(0, 0).toArray(), 0f);
        out.sum().backward();
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 0, 0, 2, 2}, emb.weight().grad().toArray(), 0f);
        assertThrows(IndexOutOfBoundsException.class, () -> emb.forward(Tensor.of(new float[] {5})));
    }

    @Test
    void residualAddsTheSkip() {
        Linear body = new Linear(3, 3);
        Residual r = new Residual(body);
        Tensor x = Tensor.randn(RNG, 2, 3);
        assertArrayEquals(body.forward(x).data().add(x).toArray(), r.forward(x).data().toArray(), 1e-6f);
        Residual bad = new Residual(new Linear(3, 4));
        assertThrows(IllegalArgumentException.class, () -> bad.forward(x));
        Residual proj = new Residual(new Linear(3, 4), new Linear(3, 4));
        assertArrayEquals(new int[] {2, 4}, proj.forward(x).shape());
    }

    @Test
    void gradCheckThroughLayersWithParameters() {
        gradCheckModule(new Linear(3, 2, true, RNG), Tensor.randn(RNG, 2, 3));
        gradCheckModule(new Conv2d(2, 2, 3, Conv2d.Options.padding(1), RNG), Tensor.randn(RNG, 1, 2, 4, 4));
        gradCheckModule(new LayerNorm(3), Tensor.randn(RNG, 2, 3));
        gradCheckModule(new Sequential(new Linear(4, 3, true, RNG), new Tanh(), new Linear(3, 2, true, RNG)),
                Tensor.randn(RNG, 2, 4));
        gradCheckModule(new BatchNorm2d(2), Tensor.randn(RNG, 3, 2, 2, 2));
        gradCheckModule(new BatchNorm1d(3), Tensor.randn(RNG, 4, 3));
        gradCheckModule(new Conv2d(4, 2, 3, Conv2d.Options.stride(2).withGroups(2).withDilation(1), RNG),
                Tensor.randn(RNG, 1, 4, 5, 5));
        gradCheckModule(new Sequential(new AvgPool2d(2), new Flatten(), new GELU(), new Sigmoid()),
                Tensor.randn(RNG, 1, 2, 4, 4));
        gradCheckModule(new Sequential(new LeakyReLU(0.2f), Softmax.log(1)), Tensor.randn(RNG, 3, 4).add(0.05f));
        gradCheckModule(new Residual(new Sequential(new Linear(3, 3, true, RNG), new Tanh())), Tensor.randn(RNG, 2, 3));
    }
}
