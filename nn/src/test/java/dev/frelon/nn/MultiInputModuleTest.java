package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The general form {@link Module#forward(Variable...)}: modules of several inputs, alone and in a Sequential. */
class MultiInputModuleTest {

    /** Two inputs side by side: [N, a] and [N, b] give [N, a + b]. */
    static final class Concat extends Module {
        @Override
        public Variable forward(Variable x) {
            return x;
        }

        @Override
        public Variable forward(Variable... inputs) {
            return Variable.concat(1, inputs);
        }
    }

    static Variable input(int seed, int... shape) {
        return Variable.of(Tensor.randn(shape, seed), true);
    }

    @Test
    void aOneInputModuleTakesOneInputInTheGeneralForm() {
        Linear fc = new Linear(3, 2, true, new Rng(1));
        Variable x = input(2, 4, 3);
        assertArrayEquals(fc.forward(x).data().toArray(), fc.forward(new Variable[] {x}).data().toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> fc.forward(x, x));
        assertEquals("Linear: takes one input, got 2; a module with several inputs overrides forward(Variable...)",
                e.getMessage());
    }

    @Test
    void sequentialPassesItsInputsToItsFirstModuleAndGradientsReachEach() {
        Linear fc = new Linear(5, 1, true, new Rng(3));
        Sequential model = new Sequential(new Concat(), fc);
        Variable a = input(4, 2, 2), b = input(5, 2, 3);
        Variable y = model.forward(a, b);
        y.sum().backward();
        // By hand: y = [a b] Wᵀ + c, so dy/da = W[:, :2] and dy/db = W[:, 2:] for every row.
        float[] w = fc.weight().data().toArray();
        float[] expected = new float[2];
        float[] xa = a.data().toArray(), xb = b.data().toArray();
        for (int n = 0; n < 2; n++) {
            double s = fc.bias().data().toArray()[0];
            for (int k = 0; k < 2; k++) {
                s += xa[2 * n + k] * w[k];
            }
            for (int k = 0; k < 3; k++) {
                s += xb[3 * n + k] * w[2 + k];
            }
            expected[n] = (float) s;
        }
        assertArrayEquals(expected, y.data().toArray(), 1e-6f);
        assertArrayEquals(new float[] {w[0], w[1], w[0], w[1]}, a.grad().toArray(), 0f);
        assertArrayEquals(new float[] {w[2], w[3], w[4], w[2], w[3], w[4]}, b.grad().toArray(), 0f);
    }

    @Test
    void sequentialNamesTheFirstLayerWhenItRefusesItsInputs() {
        Sequential model = new Sequential(new Linear(2, 2, true, new Rng(1)), new ReLU());
        Variable x = input(1, 3, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> model.forward(x, x));
        assertTrue(e.getMessage().startsWith("Sequential layer 0 (Linear(in=2, out=2, bias=true)) on input of shape"
                + " [3, 2]: Linear: takes one input, got 2"), e.getMessage());
        Sequential empty = new Sequential();
        assertEquals(x, empty.forward(new Variable[] {x}));
        assertThrows(IllegalArgumentException.class, () -> empty.forward(x, x));
    }

    @Test
    void multiheadAttentionTakesQueryKeyAndValue() {
        MultiheadAttention mha = new MultiheadAttention(8, 2, 0, true, new Rng(6));
        Variable q = input(7, 2, 3, 8), k = input(8, 2, 5, 8), v = input(9, 2, 5, 8);
        float[] typed = mha.forward(q, k, v, MultiheadAttention.Masks.NONE).output().data().toArray();
        assertArrayEquals(typed, mha.forward(new Variable[] {q, k, v}).data().toArray(), 0f);
        assertArrayEquals(mha.forward(q).data().toArray(), mha.forward(new Variable[] {q}).data().toArray(), 0f);
        // In a Sequential: attention of q over (k, v), then a linear map of each position.
        Linear after = new Linear(8, 4, true, new Rng(10));
        Variable out = new Sequential(mha, after).forward(q, k, v);
        assertArrayEquals(after.forward(Variable.of(Tensor.of(typed, 2, 3, 8))).data().toArray(), out.data().toArray(), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> mha.forward(q, k));
        assertTrue(e.getMessage().contains("takes x, or query, key and value; got 2 inputs"), e.getMessage());
    }

    @Test
    void aDecoderLayerTakesTargetAndMemory() {
        TransformerDecoderLayer layer = new TransformerDecoderLayer(
                TransformerEncoderLayer.Options.of(8, 2).withFeedforward(16).withDropout(0), new Rng(11));
        layer.eval();
        Variable target = input(12, 2, 3, 8), memory = input(13, 2, 4, 8);
        float[] typed = layer.forward(target, memory, MultiheadAttention.Masks.NONE, MultiheadAttention.Masks.NONE)
                .data().toArray();
        assertArrayEquals(typed, layer.forward(new Variable[] {target, memory}).data().toArray(), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> layer.forward(target, memory, memory));
        assertTrue(e.getMessage().contains("takes target and memory, got 3 input(s)"), e.getMessage());
    }
}
