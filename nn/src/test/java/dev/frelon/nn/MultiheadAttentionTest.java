package dev.frelon.nn;

import dev.frelon.autodiff.GradCheck;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MultiheadAttention against a reference written here from PyTorch's documented algorithm, in double precision. */
class MultiheadAttentionTest {

    /** out[b, i] and the head-averaged weights, for batch-first inputs, padding mask pad[b][j] (true = ignore). */
    private static double[][][] reference(MultiheadAttention m, Tensor q, Tensor k, Tensor v, boolean[][] pad,
                                          boolean causal, int heads, double[][][] weightsOut) {
        int b = q.size(0), tq = q.size(1), tk = k.size(1), e = q.size(2), dh = e / heads;
        float[] w = m.inProjWeight().data().toArray(), bias = m.inProjBias().data().toArray();
        float[] wo = m.outProj().weight().data().toArray(), bo = m.outProj().bias().data().toArray();
        double[][][] out = new double[b][tq][e];
        for (int n = 0; n < b; n++) {
            double[][] qp = proj(q, n, w, bias, 0, e), kp = proj(k, n, w, bias, 1, e), vp = proj(v, n, w, bias, 2, e);
            double[][] concat = new double[tq][e];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < tq; i++) {
                    double[] s = new double[tk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tk; j++) {
                        double dot = 0;
                        for (int c = 0; c < dh; c++) {
                            dot += qp[i][h * dh + c] * kp[j][h * dh + c];
                        }
                        s[j] = (pad != null && pad[n][j]) || (causal && j > i) ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(dh);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < tk; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j < tk; j++) {
                        s[j] /= sum;
                        if (weightsOut != null) {
                            weightsOut[n][i][j] += s[j] / heads;
                        }
                        for (int c = 0; c < dh; c++) {
                            concat[i][h * dh + c] += s[j] * vp[j][h * dh + c];
                        }
                    }
                }
            }
            for (int i = 0; i < tq; i++) {
                for (int o = 0; o < e; o++) {
                    double acc = bo[o];
                    for (int c = 0; c < e; c++) {
                        acc += concat[i][c] * wo[o * e + c];
                    }
                    out[n][i][o] = acc;
                }
            }
        }
        return out;
    }

    private static double[][] proj(Tensor x, int n, float[] w, float[] bias, int part, int e) {
        int t = x.size(1);
        double[][] r = new double[t][e];
        for (int i = 0; i < t; i++) {
            for (int o = 0; o < e; o++) {
                double acc = bias[part * e + o];
                for (int c = 0; c < e; c++) {
                    acc += (double) x.get(n, i, c) * w[(part * e + o) * e + c];
                }
                r[i][o] = acc;
            }
        }
        return r;
    }

    private static void assertClose(double[][][] expected, Tensor got, double tol) {
        for (int n = 0; n < expected.length; n++) {
            for (int i = 0; i < expected[n].length; i++) {
                for (int o = 0; o < expected[n][i].length; o++) {
                    assertEquals(expected[n][i][o], got.get(n, i, o), tol, "at " + n + ", " + i + ", " + o);
                }
            }
        }
    }

    @Test
    void matchesTheReferenceWithPaddingCausalityAndWeights() {
        MultiheadAttention m = new MultiheadAttention(12, 3, 0, true, new Rng(1));
        m.inProjBias().data().copyFrom(Tensor.randn(new int[] {36}, 9));           // non-zero biases, to test them
        Tensor q = Tensor.randn(new int[] {2, 5, 12}, 2), k = Tensor.randn(new int[] {2, 7, 12}, 3), v = Tensor.randn(new int[] {2, 7, 12}, 4);
        boolean[][] pad = {{false, false, false, false, false, true, true}, {false, false, false, false, false, false, true}};
        Tensor padMask = Tensor.of(new float[] {0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1}, 2, 7);
        double[][][] weights = new double[2][5][7];
        var r = m.forward(Variable.of(q), Variable.of(k), Variable.of(v), MultiheadAttention.Masks.NONE.withKeyPadding(padMask).withWeights());
        assertClose(reference(m, q, k, v, pad, false, 3, weights), r.output().data(), 2e-5);
        assertClose(weights, r.weights(), 1e-6);
        assertEquals(0f, r.weights().get(0, 0, 5), "padding gets no weight");

        Tensor x = Tensor.randn(new int[] {2, 6, 12}, 5);
        var causal = m.forward(Variable.of(x), Variable.of(x), Variable.of(x), MultiheadAttention.Masks.NONE.withCausal());
        assertClose(reference(m, x, x, x, null, true, 3, null), causal.output().data(), 2e-5);
        assertClose(reference(m, x, x, x, null, false, 3, null), m.forward(Variable.of(x)).data(), 2e-5);
    }

    @Test
    void sequenceFirstLayoutAndStateDictKeysAreTorchs() {
        MultiheadAttention first = new MultiheadAttention(8, 2, 0, true, new Rng(3));
        MultiheadAttention seqFirst = new MultiheadAttention(8, 2, 0, false, new Rng(3));
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(first.stateDict().keySet()));
        assertArrayEquals(new int[] {24, 8}, first.stateDict().get("in_proj_weight").shape());
        Tensor x = Tensor.randn(new int[] {3, 4, 8}, 6);                       // [B, T, E]
        Tensor a = first.forward(x).data();
        Tensor b = seqFirst.forward(x.transpose(0, 1).contiguous()).data();   // [T, B, E]
        assertEquals(a, b.transpose(0, 1).contiguous());
        assertEquals(0f, first.outProj().bias().data().abs().sum().item(), "PyTorch's zero biases");
    }

    @Test
    void gradientsAndComposition() {
        MultiheadAttention m = new MultiheadAttention(6, 2, 0, true, new Rng(4));
        var r = GradCheck.check(v -> m.forward(v[0]), m.parameters(), GradCheck.Options.DEFAULT, Tensor.randn(new int[] {2, 3, 6}, 7));
        assertTrue(r.passed(), r.toString());
        Sequential s = new Sequential(new Linear(4, 6), m, new ReLU());
        assertArrayEquals(new int[] {2, 9, 6}, s.forward(Tensor.zeros(2, 9, 4)).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
        assertEquals("MultiheadAttention: embed dim 10 must be divisible by the 3 heads", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Variable.of(Tensor.zeros(2, 3, 6)), Variable.of(Tensor.zeros(2, 4, 6)),
                Variable.of(Tensor.zeros(2, 4, 6)), MultiheadAttention.Masks.NONE.withKeyPadding(Tensor.zeros(2, 3))));
        assertTrue(e.getMessage().contains("key padding mask must be [2, 4]"), e.getMessage());
    }
}
