package dev.frelon.autodiff;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest {

    private static Variable param(float... v) {
        return Variable.parameter(Tensor.of(v));
    }

    @Test
    void polynomialGradientMatchesClosedForm() {
        // y = Σ x² + 3x  ->  dy/dx = 2x + 3
        Variable x = param(-2f, 0.5f, 4f);
        x.mul(x).add(x.mul(3f)).sum().backward();
        assertArrayEquals(new float[] {-1f, 4f, 11f}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void valueUsedTwiceAccumulates() {
        Variable x = param(3f);
        Variable y = x.mul(x).mul(x);          // x³: the node reads x twice, then again
        y.backward();
        assertEquals(27f, x.grad().item(), 1e-5f);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Variable x = param(1f, 2f);
        x.mul(2f).sum().backward();
        x.mul(5f).sum().backward();
        assertArrayEquals(new float[] {7f, 7f}, x.grad().toArray(), 0f);
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(1f).sum().backward();
        assertArrayEquals(new float[] {1f, 1f}, x.grad().toArray(), 0f);
    }

    @Test
    void broadcastGradientsAreReducedToInputShapes() {
        Variable a = Variable.parameter(Tensor.of(new float[] {1, 2, 3}, 3, 1));
        Variable b = Variable.parameter(Tensor.of(new float[] {10, 20, 30, 40}, 4));
        a.add(b).mul(a).sum().backward();
        // d/da Σ_j (a_i + b_j) a_i = Σ_j (2 a_i + b_j) = 8 a_i + 100
        assertArrayEquals(new int[] {3, 1}, a.grad().shape());
        assertArrayEquals(new float[] {108, 116, 124}, a.grad().toArray(), 1e-4f);
        // d/db_j = Σ_i a_i = 6
        assertArrayEquals(new float[] {6, 6, 6, 6}, b.grad().toArray(), 1e-5f);
    }

    @Test
    void secondBackwardThroughFreedGraphFailsClearly() {
        Variable x = param(2f);
        Variable y = x.mul(x).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("already freed") && e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Variable x = param(2f);
        Variable y = x.mul(x).sum();
        y.backward(Tensor.scalar(1f), true);
        y.backward(Tensor.scalar(1f), false);
        assertEquals(8f, x.grad().item(), 1e-6f);
    }

    @Test
    void backwardFromNonScalarNeedsAGradient() {
        Variable x = param(1f, 2f, 3f);
        Variable y = x.mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("scalar"), e.getMessage());
        y.backward(Tensor.of(new float[] {1f, 0f, -1f}));
        assertArrayEquals(new float[] {2f, 0f, -2f}, x.grad().toArray(), 0f);
        assertThrows(IllegalArgumentException.class, () -> x.mul(2f).backward(Tensor.ones(2)));
    }

    @Test
    void inPlaceModificationOfASavedTensorIsDetected() {
        Variable w = param(1f, 2f);
        Variable x = param(3f, 4f);
        Variable y = x.mul(w).sum();
        w.data().addInPlace(Tensor.ones(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("Mul") && e.getMessage().contains("modified in place")
                && e.getMessage().contains("version 0, now 1"), e.getMessage());
    }

    @Test
    void longChainDoesNotOverflowTheStack() {
        Variable x = param(0.5f);
        Variable y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.add(1f);
        }
        y.sum().backward();
        assertEquals(1f, x.grad().item(), 0f);
        assertEquals(100_000.5f, y.item(), 1e-1f);
    }

    @Test
    void noGradScopesNestAndAreThreadConfined() throws Exception {
        Variable x = param(1f);
        assertTrue(Grad.isEnabled());
        try (var outer = Grad.noGrad()) {
            try (var inner = Grad.noGrad()) {
                assertFalse(x.mul(2f).requiresGrad());
            }
            assertFalse(Grad.isEnabled(), "still inside the outer scope");
            AtomicBoolean other = new AtomicBoolean();
            Thread t = new Thread(() -> other.set(Grad.isEnabled() && x.mul(2f).requiresGrad()));
            t.start();
            t.join();
            assertTrue(other.get(), "another thread keeps recording");
        }
        assertTrue(x.mul(2f).requiresGrad());
    }

    @Test
    void leavesKeepGradientsNonLeavesOnlyWhenRetained() {
        Variable x = param(1f, 2f);
        Variable h = x.mul(3f);
        Variable k = x.mul(4f);
        k.retainGrad();
        h.add(k).sum().backward();
        assertTrue(x.isLeaf());
        assertFalse(h.isLeaf());
        assertNull(h.grad());
        assertArrayEquals(new float[] {1f, 1f}, k.grad().toArray(), 0f);
        assertArrayEquals(new float[] {7f, 7f}, x.grad().toArray(), 0f);
        assertEquals("Affine", h.gradFn());
    }

    @Test
    void detachCutsTheGraph() {
        Variable x = param(2f);
        Variable d = x.mul(x).detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        Variable y = d.mul(x).sum();
        y.backward();
        assertEquals(4f, x.grad().item(), 0f, "only the x factor is differentiated");
        assertThrows(IllegalStateException.class, () -> d.mul(2f).backward());
    }

    /** A rule that returns one tensor for both inputs and may declare it new (Context.fresh). */
    private static final class SharedGradient extends Function {
        private final boolean declare;
        SharedGradient(boolean declare) { this.declare = declare; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].add(in[1]); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor shared = g.mul(1f);
            return new Tensor[] {declare ? ctx.fresh(shared) : shared, shared};
        }
    }

    /** A rule that returns its incoming gradient. */
    private static final class PassThrough extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].mul(1f); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g}; }
    }

    /**
     * A leaf keeps a gradient uncopied only when the rule declared it new and returned it for that input alone:
     * Linear's weight and input gradients are kept as they come (and are right); a tensor returned for two inputs,
     * declared or not, and a rule's incoming gradient are copied, so that changing one leaf's gradient in place
     * changes nothing else; later backward calls still add into the kept gradient.
     */
    @Test
    void leavesKeepDeclaredNewGradientsAndCopyTheRest() {
        Variable x = param(1f, 2f, 3f);
        Variable w = Variable.parameter(Tensor.of(new float[] {1f, -1f, 2f, 0.5f, 0f, -2f}, 2, 3));
        NeuralOps.linear(Variable.of(Tensor.of(new float[] {1f, 2f, 3f}, 1, 3)).add(x.reshape(1, 3)), w, null)
                .sum().backward();
        // d/dW of Σ (x' Wᵀ) = each row x' = (2, 4, 6); d/dx = Σ_o W[o] = (1.5, -1, 0)
        assertArrayEquals(new float[] {2f, 4f, 6f, 2f, 4f, 6f}, w.grad().toArray(), 0f);
        assertArrayEquals(new float[] {1.5f, -1f, 0f}, x.grad().toArray(), 0f);
        NeuralOps.linear(Variable.of(Tensor.of(new float[] {1f, 1f, 1f}, 1, 3)), w, null).sum().backward();
        assertArrayEquals(new float[] {3f, 5f, 7f, 3f, 5f, 7f}, w.grad().toArray(), 0f);

        for (boolean declare : new boolean[] {false, true}) {
            Variable a = param(1f, 2f), b = param(3f, 4f);
            new SharedGradient(declare).apply(a, b).sum().backward();
            a.grad().mulInPlace(10f);
            assertArrayEquals(new float[] {10f, 10f}, a.grad().toArray(), 0f);
            assertArrayEquals(new float[] {1f, 1f}, b.grad().toArray(), 0f, "declared " + declare);
        }

        Variable c = param(5f, 6f);
        Tensor seed = Tensor.of(new float[] {2f, 3f});
        new PassThrough().apply(c).backward(seed);
        c.grad().mulInPlace(10f);
        assertArrayEquals(new float[] {2f, 3f}, seed.toArray(), 0f);
    }

    @Test
    void functionInstancesAreSingleUse() {
        Variable x = param(1f);
        Function f = new ElementwiseFunctions.Exp();
        f.apply(x);
        assertThrows(IllegalStateException.class, () -> f.apply(x));
    }

    @Test
    void heapStaysFlatOverTenThousandTrainingSteps() {
        dev.frelon.core.Rng rng = new dev.frelon.core.Rng(1);
        Variable w1 = Variable.parameter(Tensor.randn(rng, 16, 8).mul(0.3f));
        Variable b1 = Variable.parameter(Tensor.zeros(16));
        Variable w2 = Variable.parameter(Tensor.randn(rng, 1, 16).mul(0.3f));
        Tensor x = Tensor.randn(rng, 4, 8);
        Tensor target = Tensor.randn(rng, 4, 1);
        long baseline = 0;
        for (int step = 0; step < 10_000; step++) {
            Variable h = NeuralOps.linear(Variable.of(x), w1, b1).relu();
            Variable loss = NeuralOps.linear(h, w2, null).sub(Variable.of(target)).pow(2f).mean();
            loss.backward();
            try (var _ = Grad.noGrad()) {
                for (Variable p : new Variable[] {w1, b1, w2}) {
                    p.data().addInPlace(p.grad(), -0.01f);
                    p.zeroGrad();
                }
            }
            if (step == 1_000) {
                baseline = usedHeapAfterGc();
            }
        }
        long end = usedHeapAfterGc();
        assertTrue(end - baseline < 4L << 20, "heap grew by " + ((end - baseline) >> 10) + " KiB over 9,000 steps");
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
