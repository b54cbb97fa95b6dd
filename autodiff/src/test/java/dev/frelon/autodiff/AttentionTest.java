package dev.frelon.autodiff;

import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused attention against a reference written here in double precision from the definition (the T×T weights
 * materialised), by hand on a tiny case, and by gradient checks; over sizes that cross the 64-row blocks.
 */
class AttentionTest {

    /** softmax(Q·Kᵀ·scale + mask, causal)·V in double precision, for [B, T, D] inputs. */
    private static double[] reference(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
        int b = q.size(0), tq = q.size(1), d = q.size(2), tk = k.size(1), dv = v.size(2);
        float[] qa = q.toArray(), ka = k.toArray(), va = v.toArray();
        float[] ma = mask == null ? null : mask.expand(b, tq, tk).contiguous().toArray();
        double scale = 1 / Math.sqrt(d);
        double[] out = new double[b * tq * dv];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < tq; i++) {
                double[] s = new double[tk];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < tk; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += (double) qa[(n * tq + i) * d + c] * ka[(n * tk + j) * d + c];
                    }
                    s[j] = dot * scale + (ma == null ? 0 : ma[(n * tq + i) * tk + j]) + (causal && j > i ? Double.NEGATIVE_INFINITY : 0);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < tk; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int c = 0; c < dv; c++) {
                    double acc = 0;
                    for (int j = 0; j < tk; j++) {
                        acc += s[j] / sum * va[(n * tk + j) * dv + c];
                    }
                    out[(n * tq + i) * dv + c] = acc;
                }
            }
        }
        return out;
    }

    private static void assertClose(double[] expected, float[] got, double tol, String what) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }

    @Test
    void aTinyCaseByHand() {
        // One query [1, 0] against keys [1, 0] and [0, 1] (D = 2, scale 1/√2): weights softmax([1/√2, 0]).
        Tensor q = Tensor.of(new float[] {1, 0}, 1, 1, 2), k = Tensor.of(new float[] {1, 0, 0, 1}, 1, 2, 2);
        Tensor v = Tensor.of(new float[] {10, 20}, 1, 2, 1);
        double w0 = 1 / (1 + Math.exp(-1 / Math.sqrt(2)));
        Variable out = NeuralOps.scaledDotProductAttention(Variable.of(q), Variable.of(k), Variable.of(v), null, false);
        assertEquals(10 * w0 + 20 * (1 - w0), out.data().item(), 1e-5);
        // Masking the first key leaves only the second.
        Tensor mask = Tensor.of(new float[] {Float.NEGATIVE_INFINITY, 0}, 1, 2);
        assertEquals(20f, NeuralOps.scaledDotProductAttention(Variable.of(q), Variable.of(k), Variable.of(v), mask, false)
                .data().item(), 0f);
    }

    @Test
    void matchesTheDefinitionAcrossBlocksMasksAndCausality() {
        int[][] sizes = {{2, 5, 5, 8, 8}, {2, 70, 130, 16, 12}, {1, 129, 129, 32, 32}, {3, 1, 200, 8, 4}};
        for (int[] sz : sizes) {
            int b = sz[0], tq = sz[1], tk = sz[2], d = sz[3], dv = sz[4];
            Tensor q = Tensor.randn(new int[] {b, tq, d}, 1), k = Tensor.randn(new int[] {b, tk, d}, 2);
            Tensor v = Tensor.randn(new int[] {b, tk, dv}, 3);
            // A padding-style mask: the last keys of batch entry 0 are hidden.
            float[] m = new float[b * tk];
            for (int j = tk - Math.max(1, tk / 5); j < tk; j++) {
                m[j] = Float.NEGATIVE_INFINITY;
            }
            Tensor mask = Tensor.of(m, b, 1, tk);
            for (boolean causal : tq == tk ? new boolean[] {false, true} : new boolean[] {false}) {
                for (Tensor mk : new Tensor[] {null, mask}) {
                    Variable out = NeuralOps.scaledDotProductAttention(Variable.of(q), Variable.of(k), Variable.of(v), mk, causal);
                    assertClose(reference(q, k, v, mk, causal), out.data().toArray(), 2e-5,
                            java.util.Arrays.toString(sz) + " causal " + causal + " mask " + (mk != null));
                }
            }
        }
    }

    @Test
    void gradientsCheckOutWithAMaskAndCausally() {
        Tensor q = Tensor.randn(new int[] {2, 67, 4}, 4), k = Tensor.randn(new int[] {2, 67, 4}, 5);
        Tensor v = Tensor.randn(new int[] {2, 67, 3}, 6);
        Tensor mask = Tensor.randn(new int[] {67, 67}, 7);                   // any additive mask
        var opts = GradCheck.Options.DEFAULT;
        var r = GradCheck.check(x -> NeuralOps.scaledDotProductAttention(x[0], x[1], x[2], mask, true), opts, q, k, v);
        assertTrue(r.passed(), r.toString());
        var small = GradCheck.check(x -> NeuralOps.scaledDotProductAttention(x[0], x[1], x[2], null, false),
                Tensor.randn(new int[] {1, 3, 5}, 8), Tensor.randn(new int[] {1, 4, 5}, 9), Tensor.randn(new int[] {1, 4, 2}, 10));
        assertTrue(small.passed(), small.toString());
    }

    @Test
    void dropoutIsTheSameMaskInBothPassesAndAverages() {
        Tensor q = Tensor.randn(new int[] {1, 80, 8}, 11), k = Tensor.randn(new int[] {1, 80, 8}, 12);
        Tensor v = Tensor.randn(new int[] {1, 80, 8}, 13);
        // The same generator state gives the same output; the gradient is consistent with that output.
        Variable a = NeuralOps.scaledDotProductAttention(Variable.of(q), Variable.of(k), Variable.of(v), null, false, 0.3, new Rng(1));
        Variable b = NeuralOps.scaledDotProductAttention(Variable.of(q), Variable.of(k), Variable.of(v), null, false, 0.3, new Rng(1));
        assertEquals(a.data(), b.data());
        var r = GradCheck.check(x -> NeuralOps.scaledDotProductAttention(x[0], x[1], x[2], null, false, 0.3, new Rng(2)),
                Tensor.randn(new int[] {1, 6, 3}, 14), Tensor.randn(new int[] {1, 6, 3}, 15), Tensor.randn(new int[] {1, 6, 2}, 16));
        assertTrue(r.passed(), r.toString());
        // Averaged over many seeds, dropout leaves the output unbiased (inverted dropout).
        double[] mean = new double[80 * 8];
        int seeds = 200;
        Rng rng = new Rng(3);
        for (int s = 0; s < seeds; s++) {
            float[] o = NeuralOps.scaledDotProductAttention(Variable.of(q), Variable.of(k), Variable.of(v), null, false, 0.3, rng)
                    .data().toArray();
            for (int i = 0; i < o.length; i++) {
                mean[i] += o[i] / seeds;
            }
        }
        assertClose(reference(q, k, v, null, false), toFloat(mean), 0.1, "mean over dropout masks");
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void fullyMaskedRowsAreNaNAndBadShapesAreRefused() {
        Tensor q = Tensor.ones(1, 2, 2), k = Tensor.ones(1, 2, 2), v = Tensor.ones(1, 2, 2);
        Tensor mask = Tensor.of(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0}, 2, 2);
        float[] out = NeuralOps.scaledDotProductAttention(Variable.of(q), Variable.of(k), Variable.of(v), mask, false).data().toArray();
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[1]), "row 0 sees no key: NaN, as PyTorch");
        assertArrayEquals(new float[] {1, 1}, new float[] {out[2], out[3]}, 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> NeuralOps.scaledDotProductAttention(Variable.of(q),
                Variable.of(Tensor.ones(1, 2, 3)), Variable.of(v), null, false));
        assertTrue(e.getMessage().startsWith("scaledDotProductAttention: k must be [..., Tk, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NeuralOps.scaledDotProductAttention(Variable.of(q),
                Variable.of(k), Variable.of(v), Tensor.zeros(3, 2), false));
        assertTrue(e.getMessage().contains("does not broadcast to [1, 2, 2]"), e.getMessage());
    }
}
