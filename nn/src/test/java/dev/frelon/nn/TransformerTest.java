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

class TransformerTest {

    private static TransformerEncoderLayer layer(boolean normFirst, TransformerEncoderLayer.Activation a) {
        var o = TransformerEncoderLayer.Options.of(8, 2).withFeedforward(16).withDropout(0).withActivation(a);
        return new TransformerEncoderLayer(normFirst ? o.withNormFirst() : o, new Rng(5));
    }

    @Test
    void stateDictKeysAreTorchs() {
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"),
                List.copyOf(layer(false, TransformerEncoderLayer.Activation.RELU).stateDict().keySet()));
        var enc = new TransformerEncoder(i -> layer(true, TransformerEncoderLayer.Activation.GELU), 2, new LayerNorm(8));
        var keys = List.copyOf(enc.stateDict().keySet());
        assertEquals("layers.0.self_attn.in_proj_weight", keys.get(0));
        assertTrue(keys.contains("layers.1.norm2.bias") && keys.contains("norm.weight"), keys.toString());
        assertEquals(2 * 12 + 2, keys.size());
    }

    @Test
    void postAndPreNormWireTheirPartsAsPyTorchDoes() {
        Tensor x = Tensor.randn(new int[] {2, 5, 8}, 1);
        Variable v = Variable.of(x);
        for (boolean normFirst : new boolean[] {false, true}) {
            for (var act : TransformerEncoderLayer.Activation.values()) {
                TransformerEncoderLayer l = layer(normFirst, act);
                var parts = l.namedChildren();
                MultiheadAttention sa = (MultiheadAttention) parts.get("self_attn");
                Linear l1 = (Linear) parts.get("linear1"), l2 = (Linear) parts.get("linear2");
                LayerNorm n1 = (LayerNorm) parts.get("norm1"), n2 = (LayerNorm) parts.get("norm2");
                java.util.function.UnaryOperator<Variable> ff = h -> {
                    Variable z = l1.forward(h);
                    return l2.forward(act == TransformerEncoderLayer.Activation.GELU ? z.gelu() : z.relu());
                };
                Variable expected;
                if (normFirst) {
                    Variable y = v.add(sa.forward(n1.forward(v)));
                    expected = y.add(ff.apply(n2.forward(y)));
                } else {
                    Variable y = n1.forward(v.add(sa.forward(v)));
                    expected = n2.forward(y.add(ff.apply(y)));
                }
                assertEquals(expected.data(), l.forward(v).data(), "normFirst " + normFirst + " " + act);
            }
        }
    }

    @Test
    void gradientsMasksAndAStack() {
        TransformerEncoderLayer l = layer(false, TransformerEncoderLayer.Activation.GELU);
        var r = GradCheck.check(v -> l.forward(v[0]), l.parameters(), GradCheck.Options.DEFAULT, Tensor.randn(new int[] {1, 3, 8}, 2));
        assertTrue(r.passed(), r.toString());
        // A causal encoder: changing the last token cannot change the outputs before it.
        var enc = new TransformerEncoder(i -> layer(true, TransformerEncoderLayer.Activation.RELU), 2, new LayerNorm(8));
        Tensor x = Tensor.randn(new int[] {1, 6, 8}, 3);
        Tensor changed = x.copy();
        changed.set(9f, 0, 5, 0);
        var causal = MultiheadAttention.Masks.NONE.withCausal();
        Tensor a = enc.forward(Variable.of(x), causal).data(), b = enc.forward(Variable.of(changed), causal).data();
        assertEquals(a.narrow(1, 0, 5), b.narrow(1, 0, 5));
        assertTrue(!a.narrow(1, 5, 1).equals(b.narrow(1, 5, 1)));
        assertThrows(UnsupportedOperationException.class, () -> enc.namedChildren().get("layers").forward(Variable.of(x)));
    }

    @Test
    void positionalEncodings() {
        PositionalEncoding pe = PositionalEncoding.sinusoidal(50, 6);
        Tensor out = pe.forward(Variable.of(Tensor.zeros(1, 4, 6))).data();
        assertEquals((float) Math.sin(3), out.get(0, 3, 0), 1e-6f);
        assertEquals((float) Math.cos(3), out.get(0, 3, 1), 1e-6f);
        assertEquals((float) Math.sin(3 / Math.pow(10000, 2.0 / 6)), out.get(0, 3, 2), 1e-6f);
        assertEquals((float) Math.cos(2 / Math.pow(10000, 4.0 / 6)), out.get(0, 2, 5), 1e-6f);
        assertTrue(pe.stateDict().isEmpty());
        PositionalEncoding learned = PositionalEncoding.learned(10, 4, new Rng(1));
        assertArrayEquals(new int[] {10, 4}, learned.stateDict().get("weight").shape());
        Variable y = learned.forward(Variable.of(Tensor.zeros(2, 3, 4)));
        y.sum().backward();
        assertArrayEquals(new float[] {2, 2, 2, 2}, learned.parameters().get(0).grad().select(0, 0).toArray(), 0f);
        assertArrayEquals(new float[] {0, 0, 0, 0}, learned.parameters().get(0).grad().select(0, 3).toArray(), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> pe.forward(Variable.of(Tensor.zeros(1, 51, 6))));
        assertTrue(e.getMessage().contains("longer than the 50 positions"), e.getMessage());
    }
}
