package dev.frelon.autodiff;

import dev.frelon.core.IndexedValues;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of {@link Variable}'s surface a PyTorch user reaches for: scalars, max with indices, view. */
class VariableApiTest {

    @Test
    void doubleScalarsRoundToFloatAsPyTorchDoes() {
        Variable x = Variable.parameter(Tensor.of(new float[] {1.5f, -2f}));
        Variable y = x.mul(2.0).add(0.25).sub(1.0).div(4.0).pow(2.0);
        // ((2x + 0.25 - 1) / 4)^2 at 1.5 and -2: (2.25/4)^2 = 0.31640625, (-4.75/4)^2 = 1.41015625
        assertArrayEquals(new float[] {0.31640625f, 1.41015625f}, y.data().toArray(), 0f);
        y.sum().backward();
        // d/dx = 2·((2x − 0.75)/4)·(2/4): 0.5625 and −1.1875
        assertArrayEquals(new float[] {0.5625f, -1.1875f}, x.grad().toArray(), 1e-7f);
        Tensor t = Tensor.of(new float[] {0.1f, 3f});
        assertEquals(t.mul(0.1f), t.mul(0.1));
        assertArrayEquals(new float[] {0f, 1f}, t.gt(0.5).toArray(), 0f);
        assertArrayEquals(new float[] {0.5f, 3f}, t.maximum(0.5).toArray(), 0f);
    }

    @Test
    void maxAlongADimGivesIndicesAndSendsTheGradientThere() {
        Variable x = Variable.parameter(Tensor.of(new float[] {1, 7, 7, 4, -2, 0}, 2, 3));
        IndexedValues<Variable> best = x.max(1);
        assertArrayEquals(new float[] {7, 4}, best.values().data().toArray(), 0f);
        assertArrayEquals(new float[] {1, 0}, best.indices().toArray(), 0f);
        assertArrayEquals(new int[] {2}, best.indices().shape());
        best.values().mul(Variable.of(Tensor.of(new float[] {10, 20}))).sum().backward();
        assertArrayEquals(new float[] {0, 10, 0, 20, 0, 0}, x.grad().toArray(), 0f);

        IndexedValues<Variable> low = Variable.of(x.data()).min(0, true);
        assertArrayEquals(new int[] {1, 3}, low.values().shape());
        assertArrayEquals(new float[] {1, -2, 0}, low.values().data().toArray(), 0f);
        assertArrayEquals(new float[] {0, 1, 1}, low.indices().toArray(), 0f);
        assertEquals(-2f, x.min().item());
        assertEquals(7f, x.max().item());
    }

    @Test
    void viewNeverCopiesAndSaysWhenItCannot() {
        Tensor base = Tensor.arange(6).reshape(2, 3);
        Variable v = Variable.of(base).view(3, 2);
        base.fill(5f);
        assertArrayEquals(new float[] {5, 5, 5, 5, 5, 5}, v.data().toArray(), 0f, "a view shares its storage");

        Variable transposed = Variable.of(Tensor.arange(6).reshape(2, 3)).transpose(0, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> transposed.view(6));
        assertTrue(e.getMessage().startsWith("view: a tensor of shape [3, 2]"), e.getMessage());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, transposed.reshape(6).data().toArray(), 0f);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, transposed.contiguous().view(6).data().toArray(), 0f);

        Variable p = Variable.parameter(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertSame(p, p.contiguous());
        p.transpose(0, 1).contiguous().view(4).mul(Variable.of(Tensor.of(new float[] {1, 2, 3, 4}))).sum().backward();
        assertArrayEquals(new float[] {1, 3, 2, 4}, p.grad().toArray(), 0f);
    }

    @Test
    void reducingAScalarOverItsDimDifferentiatesAsPyTorch() {
        // torch.tensor(2., requires_grad=True).sum(0).backward() gives grad 1; .mean(-1) likewise.
        Variable x = Variable.of(Tensor.scalar(2f), true);
        x.sum(0).backward();
        assertEquals(1f, x.grad().item());
        Variable y = Variable.of(Tensor.scalar(2f), true);
        y.mean(new int[] {-1}, false).mul(3f).backward();
        assertEquals(3f, y.grad().item());
        assertArrayEquals(new int[0], y.grad().shape());
    }

    @Test
    void maxAndMinOfAScalarOverItsDimDifferentiate() {
        // Their backward unsqueezed g to [1] against a 0-d index and failed in scatterAdd.
        Variable s = Variable.parameter(Tensor.scalar(3f));
        IndexedValues<Variable> best = s.max(0);
        assertEquals(3f, best.values().item());
        assertEquals(0f, best.indices().item());
        best.values().backward();
        assertEquals(1f, s.grad().item());
        s.min(-1, true).values().mul(2f).backward();
        assertEquals(3f, s.grad().item());
        assertArrayEquals(new int[0], s.grad().shape());
    }

    @Test
    void maxOfAnEmptyValueSaysMaxNotArgmax() {
        var e = assertThrows(IllegalArgumentException.class, () -> Variable.parameter(Tensor.zeros(0, 3)).max());
        assertEquals("max: cannot reduce over an empty dim (shape [0])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Variable.parameter(Tensor.zeros(3, 0)).amin(1, false));
        assertEquals("min: cannot reduce over an empty dim (shape [3, 0])", e.getMessage());
    }

    @Test
    void narrowRefusesWhatTensorNarrowRefuses() {
        // It used to clamp as slice does: narrow(1, 3, 2) gave one column, narrow(1, -5, 1) an empty one.
        Variable x = Variable.parameter(Tensor.arange(12).reshape(3, 4));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(1, 3, 2));
        assertEquals("narrow: start 3 + length 2 is past the end of dim 1 (size 4) of shape [3, 4]", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(1, -5, 1));
        assertEquals("narrow: start -5 is out of range for dim 1 (size 4) of shape [3, 4] (expected -4 <= start <= 4)",
                e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> Variable.parameter(Tensor.scalar(1f)).narrow(0, 0, 1));
        assertEquals("narrow: dim 0 is out of range for a 0-d tensor, which has no dims", e.getMessage());
        Variable y = x.narrow(1, -3, 2);
        assertEquals("Narrow", y.gradFn());
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10}, y.data().toArray(), 0f);
        y.sum().backward();
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0}, x.grad().toArray(), 0f);
    }

    @Test
    void sumAndMeanTakeNullForAllDimsAsTensorDoes() {
        // Both threw NullPointerException.
        Variable x = Variable.parameter(Tensor.arange(6).reshape(2, 3));
        assertEquals(15f, x.sum(null, false).item());
        Variable kept = x.mean(null, true);
        assertArrayEquals(new int[] {1, 1}, kept.shape());
        assertEquals(2.5f, kept.item());
        kept.backward();
        assertArrayEquals(new float[] {1 / 6f, 1 / 6f, 1 / 6f, 1 / 6f, 1 / 6f, 1 / 6f}, x.grad().toArray(), 0f);
        assertArrayEquals(new int[] {1, 1}, x.sum(null, true).shape());
    }

    @Test
    void tAndTransposeTakeTheRanksTensorTakes() {
        // t() required rank 2, and transpose refused every dim of a 0-d value.
        Variable v = Variable.parameter(Tensor.arange(3)), s = Variable.parameter(Tensor.scalar(2f));
        assertSame(v, v.t());
        assertSame(s, s.t());
        assertSame(s, s.transpose(0, -1));
        var e = assertThrows(IllegalArgumentException.class, () -> Variable.of(Tensor.zeros(2, 3, 4)).t());
        assertEquals("t: expects a tensor of rank <= 2, got shape [2, 3, 4]; use transpose(dim0, dim1)", e.getMessage());
        var o = assertThrows(IndexOutOfBoundsException.class, () -> s.transpose(0, 1));
        assertEquals("transpose: dim 1 is out of range for a tensor of rank 0 (expected -1 <= dim < 1)", o.getMessage());
        Variable m = Variable.parameter(Tensor.arange(6).reshape(2, 3));
        m.t().mul(Variable.of(Tensor.arange(6).reshape(3, 2))).sum().backward();
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, m.grad().toArray(), 0f);
    }

    @Test
    void stackIsOneOpWithTensorStacksChecks() {
        // It unsqueezed each part and concatenated them, so its errors named unsqueeze or concat.
        Variable a = Variable.parameter(Tensor.arange(3)), b = Variable.parameter(Tensor.arange(3).mul(2f));
        Variable y = Variable.stack(1, a, b);
        assertEquals("Stack", y.gradFn());
        assertArrayEquals(new float[] {0, 0, 1, 2, 2, 4}, y.data().toArray(), 0f);
        y.mul(Variable.of(Tensor.arange(6).reshape(3, 2))).sum().backward();
        assertArrayEquals(new float[] {0, 2, 4}, a.grad().toArray(), 0f);
        assertArrayEquals(new float[] {1, 3, 5}, b.grad().toArray(), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> Variable.stack(0));
        assertEquals("stack: needs at least one tensor", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Variable.stack(0, a, Variable.of(Tensor.zeros(2))));
        assertEquals("stack: tensor 1 has shape [2], tensor 0 has [3]", e.getMessage());
        var o = assertThrows(IndexOutOfBoundsException.class, () -> Variable.stack(2, a, b));
        assertEquals("stack: dim 2 is out of range for a tensor of rank 2 (expected -2 <= dim < 2)", o.getMessage());
    }

    @Test
    void neuralOpsDifferentiateEmptyFeaturesAndChannels() {
        // linear's backward inferred -1 in reshape(-1, 0), which is ambiguous; batchNorm counted values per channel
        // as numel / C and refused a batch with no channels. PyTorch gives empty results and zero gradients.
        Variable x = Variable.parameter(Tensor.zeros(2, 0)), w = Variable.parameter(Tensor.zeros(3, 0));
        Variable b = Variable.parameter(Tensor.of(new float[] {1, 2, 3}));
        Variable y = NeuralOps.linear(x, w, b);
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, y.data().toArray(), 0f);
        y.sum().backward();
        assertArrayEquals(new int[] {2, 0}, x.grad().shape());
        assertArrayEquals(new int[] {3, 0}, w.grad().shape());
        assertArrayEquals(new float[] {2, 2, 2}, b.grad().toArray(), 0f);

        Variable empty = Variable.parameter(Tensor.zeros(4, 0, 3));
        Variable n = NeuralOps.batchNorm(empty, Tensor.zeros(0), Tensor.ones(0), null, null, true, 0.1f, 1e-5f);
        assertArrayEquals(new int[] {4, 0, 3}, n.shape());
        n.sum().backward();
        assertArrayEquals(new int[] {4, 0, 3}, empty.grad().shape());

        // A 0-d query was asked its last dim before the op's own checks ran.
        Variable kv = Variable.of(Tensor.zeros(2, 3));
        var e = assertThrows(IllegalArgumentException.class,
                () -> NeuralOps.scaledDotProductAttention(Variable.of(Tensor.scalar(1f)), kv, kv, null, false));
        assertEquals("scaledDotProductAttention: q, k and v must have the same rank, at least 2 ([..., T, D]), got [], "
                + "[2, 3] and [2, 3]", e.getMessage());
    }

    @Test
    void masksAndTrianglesPassGradientsOnlyWhereTheyKeep() {
        Variable x = Variable.parameter(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        x.tril(0).mul(Variable.of(Tensor.of(new float[] {10, 20, 30, 40}, 2, 2))).sum().backward();
        assertArrayEquals(new float[] {10, 0, 30, 40}, x.grad().toArray(), 0f);
        Variable y = Variable.parameter(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        Variable f = y.maskedFill(Tensor.of(new boolean[] {false, true}, 1, 2), -5f);
        assertArrayEquals(new float[] {1, -5, 3, -5}, f.data().toArray(), 0f);
        f.sum().backward();
        assertArrayEquals(new float[] {1, 0, 1, 0}, y.grad().toArray(), 0f);
        assertArrayEquals(new float[] {0, 2, 0, 0}, Variable.of(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)).triu(1).data().toArray(), 0f);
        assertThrows(IllegalArgumentException.class, () -> Variable.of(Tensor.ones(3)).triu(0));
    }
}
