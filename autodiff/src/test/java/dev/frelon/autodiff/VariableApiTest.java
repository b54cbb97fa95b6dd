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
}
