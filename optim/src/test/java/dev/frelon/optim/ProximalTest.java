package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProximalTest {

    @Test
    void softThresholdShrinksAndZeroesByHand() {
        Variable w = Variable.parameter(Tensor.of(new float[] {0.3f, -0.05f, -1f, 0.1f, 0f}));
        Proximal.softThreshold(List.of(w), 0.1);
        assertArrayEquals(new float[] {0.2f, 0f, -0.9f, 0f, 0f}, w.data().toArray(), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> Proximal.softThreshold(List.of(w), -1));
    }

    @Test
    void istaSolvesTheLassoInClosedFormForAnIdentityDesign() {
        // min ½‖y − w‖² + λ‖w‖₁ has the solution w = sign(y)·max(|y| − λ, 0); ISTA with step 0.5 converges to it.
        float[] y = {2f, -0.3f, 0.9f, -1.5f, 0.05f};
        double lambda = 0.5, lr = 0.5;
        Variable w = Variable.parameter(Tensor.zeros(5));
        SGD opt = new SGD(List.of(w), lr);
        Tensor target = Tensor.of(y);
        for (int step = 0; step < 60; step++) {
            opt.zeroGrad();
            w.sub(Variable.of(target)).square().sum().mul(0.5f).backward();
            opt.step();
            Proximal.softThreshold(List.of(w), lr * lambda);
        }
        assertArrayEquals(new float[] {1.5f, 0f, 0.4f, -1f, 0f}, w.data().toArray(), 1e-6f);
    }
}
