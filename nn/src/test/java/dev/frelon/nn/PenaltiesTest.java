package dev.frelon.nn;

import dev.frelon.autodiff.GradCheck;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PenaltiesTest {

    private static Variable a() {
        return Variable.parameter(Tensor.of(new float[] {1, -2}));
    }

    private static Variable b() {
        return Variable.parameter(Tensor.of(new float[] {3, -0.5f}, 2, 1));
    }

    @Test
    void valuesAndGradientsByHand() {
        Variable a = a(), b = b();
        assertEquals(6.5f, Penalties.l1(List.of(a, b)).item());
        assertEquals(14.25f, Penalties.l2(List.of(a, b)).item());
        // 0.5 · (0.2 · 6.5 + 0.8/2 · 14.25) = 0.5 · (1.3 + 5.7) = 3.5
        Variable e = Penalties.elasticNet(List.of(a, b), 0.5, 0.2);
        assertEquals(3.5f, e.item(), 1e-6f);
        e.backward();
        // d/dw = α·(ρ·sign(w) + (1 − ρ)·w) = 0.5·(0.2·sign(w) + 0.8·w)
        assertArrayEquals(new float[] {0.5f * (0.2f + 0.8f), 0.5f * (-0.2f - 1.6f)}, a.grad().toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.5f * (0.2f + 2.4f), 0.5f * (-0.2f - 0.4f)}, b.grad().toArray(), 1e-6f);
    }

    @Test
    void gradientChecks() {
        Variable w = Variable.parameter(Tensor.of(new float[] {0.7f, -1.3f, 2.1f}));
        assertTrue(GradCheck.check(v -> Penalties.l2(List.of(v[0])), w.data()).passed());
        assertTrue(GradCheck.check(v -> Penalties.l1(List.of(v[0])), w.data()).passed());
        assertTrue(GradCheck.check(v -> Penalties.elasticNet(List.of(v[0], v[0].mul(2f)), 0.3, 0.6), w.data()).passed());
    }

    @Test
    void badArgumentsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Penalties.l2(List.of()));
        assertEquals("l2: no parameters to penalise", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Penalties.elasticNet(List.of(a()), 1, 1.5));
        assertEquals("elasticNet: need alpha >= 0 and l1Ratio in [0, 1], got 1.0 and 1.5", e.getMessage());
    }
}
