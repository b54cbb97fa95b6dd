package dev.frelon.nn;

import dev.frelon.core.CrossEntropy;
import dev.frelon.core.Reduction;
import dev.frelon.autodiff.GradCheck;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Losses against hand computations (PyTorch's definitions) and finite differences. */
class LossesTest {

    private static final Rng RNG = new Rng(21);

    @Test
    void crossEntropyHandComputed() {
        Tensor logits = Tensor.of(new float[] {1, 2, 3, 1, 1, 1}, 2, 3);
        Tensor y = Tensor.of(new float[] {2, 0});
        double l0 = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
        double l1 = Math.log(3);
        assertEquals((l0 + l1) / 2, Losses.crossEntropy(Variable.of(logits), y).item(), 1e-6);
        var none = CrossEntropy.Options.DEFAULT.withReduction(Reduction.NONE);
        assertArrayEquals(new float[] {(float) l0, (float) l1}, Losses.crossEntropy(Variable.of(logits), y, none).data().toArray(), 1e-6f);
        // label smoothing ε: (1−ε)·nll + ε/C·Σ_c −logp_c
        double eps = 0.1;
        double s0 = 0;
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        for (int c = 1; c <= 3; c++) {
            s0 += lse - c;
        }
        double smooth0 = (1 - eps) * l0 + eps / 3 * s0;
        double smooth1 = (1 - eps) * l1 + eps / 3 * (3 * Math.log(3));
        assertEquals((smooth0 + smooth1) / 2, Losses.crossEntropy(Variable.of(logits), y,
                CrossEntropy.Options.DEFAULT.withLabelSmoothing(0.1f)).item(), 1e-6);
        // class weights: Σ w_y·l / Σ w_y ; ignore index drops the sample
        Tensor w = Tensor.of(new float[] {2, 1, 0.5f});
        assertEquals((0.5 * l0 + 2 * l1) / 2.5, Losses.crossEntropy(Variable.of(logits), y,
                CrossEntropy.Options.DEFAULT.withClassWeights(w)).item(), 1e-6);
        assertEquals(l0, Losses.crossEntropy(Variable.of(logits), Tensor.of(new float[] {2, -100})).item(), 1e-6);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor logits = Tensor.of(new float[] {1e4f, -1e4f, 0f, -1e4f, 1e4f, 1e4f}, 2, 3);
        float l = Losses.crossEntropy(Variable.of(logits), Tensor.of(new float[] {0, 1})).item();
        assertEquals(Math.log(2) / 2, l, 1e-6);
    }

    @Test
    void nllMatchesCrossEntropyOnLogSoftmax() {
        Tensor logits = Tensor.randn(RNG, 4, 5);
        Tensor y = Tensor.of(new float[] {1, 4, 0, 2});
        Tensor w = Tensor.of(new float[] {1, 2, 3, 0.5f, 1});
        float ce = Losses.crossEntropy(Variable.of(logits), y, CrossEntropy.Options.DEFAULT.withClassWeights(w)).item();
        float nll = Losses.nll(Variable.of(logits).logSoftmax(1), y, w, -100, Reduction.MEAN).item();
        assertEquals(ce, nll, 1e-5f);
        assertTrue(GradCheck.check(v -> Losses.nll(v[0].logSoftmax(1), y, w, 2, Reduction.MEAN), logits).passed());
    }

    @Test
    void regressionLosses() {
        Variable p = Variable.of(Tensor.of(new float[] {0f, 2f, -3f}));
        Tensor t = Tensor.of(new float[] {0.5f, 0f, 0f});
        assertEquals((0.25 + 4 + 9) / 3, Losses.mse(p, t).item(), 1e-6);
        assertEquals(0.5 + 2 + 3, Losses.l1(p, t, Reduction.SUM).item(), 1e-6);
        // Huber δ = 1: 0.5·0.25, 1·(2 − 0.5), 1·(3 − 0.5)
        assertArrayEquals(new float[] {0.125f, 1.5f, 2.5f}, Losses.huber(p, t, 1f, Reduction.NONE).data().toArray(), 1e-6f);
        // Smooth L1 β = 2: 0.5·0.25/2, 0.5·4/2, 3 − 1
        assertArrayEquals(new float[] {0.0625f, 1f, 2f}, Losses.smoothL1(p, t, 2f, Reduction.NONE).data().toArray(), 1e-6f);
    }

    @Test
    void bceWithLogits() {
        Tensor x = Tensor.of(new float[] {-2f, 0.5f, 30f, -30f});
        Tensor t = Tensor.of(new float[] {0f, 1f, 1f, 0f});
        float[] l = Losses.bceWithLogits(Variable.of(x), t, 1f, Reduction.NONE).data().toArray();
        float[] xs = x.toArray(), ts = t.toArray();
        for (int i = 0; i < 4; i++) {
            double s = 1 / (1 + Math.exp(-xs[i]));
            double expected = -(ts[i] * Math.log(s) + (1 - ts[i]) * Math.log1p(-s));
            assertEquals(expected, l[i], 1e-6 + 1e-6 * expected);
        }
        float[] w = Losses.bceWithLogits(Variable.of(x), t, 3f, Reduction.NONE).data().toArray();
        double s1 = 1 / (1 + Math.exp(-0.5));
        assertEquals(-3 * Math.log(s1), w[1], 1e-6);
        assertEquals(l[0], w[0], 1e-6, "negatives are not reweighted");
        assertTrue(GradCheck.check(v -> Losses.bceWithLogits(v[0], t, 2f, Reduction.MEAN), Tensor.randn(RNG, 4)).passed());
    }

    @Test
    void lossGradients() {
        Tensor t = Tensor.randn(RNG, 3, 2);
        assertTrue(GradCheck.check(v -> Losses.mse(v[0], t), Tensor.randn(RNG, 3, 2)).passed());
        assertTrue(GradCheck.check(v -> Losses.huber(v[0], t, 0.5f, Reduction.SUM), Tensor.randn(RNG, 3, 2).mul(2f)).passed());
        assertTrue(GradCheck.check(v -> Losses.crossEntropy(v[0], Tensor.of(new float[] {0, 1, 1})), Tensor.randn(RNG, 3, 2)).passed());
    }
}
