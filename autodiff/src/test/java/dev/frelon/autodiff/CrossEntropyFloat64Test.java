package dev.frelon.autodiff;

import dev.frelon.core.CrossEntropy;
import dev.frelon.core.DType;
import dev.frelon.core.Reduction;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-entropy on float64 logits (the formula composed of float64 operations) against the fused float32 kernel,
 * loss and gradient, for every option; the float64 gradient is checked on its own by GradCheck in OpGradientTest.
 */
class CrossEntropyFloat64Test {

    @Test
    void float64LogitsGiveTheFusedKernelsLossAndGradient() {
        Tensor logits = Tensor.randn(new Rng(5), 6, 4);
        Tensor labels = Tensor.of(new long[] {3, 0, -100, 1, 2, 3});
        Tensor weights = Tensor.of(new float[] {0.5f, 1f, 2f, 1.5f});
        List<CrossEntropy.Options> all = List.of(CrossEntropy.Options.DEFAULT,
                new CrossEntropy.Options(Reduction.SUM, null, -100, 0f),
                new CrossEntropy.Options(Reduction.NONE, weights, -100, 0.1f),
                new CrossEntropy.Options(Reduction.MEAN, weights, -100, 0.2f));
        for (CrossEntropy.Options o : all) {
            Variable z32 = Variable.parameter(logits.copy()), z64 = Variable.parameter(logits.to(DType.FLOAT64));
            Variable l32 = NeuralOps.crossEntropy(z32, labels, o), l64 = NeuralOps.crossEntropy(z64, labels, o);
            assertEquals(DType.FLOAT64, l64.data().dtype());
            assertTrue(l64.data().allClose(l32.data(), 1e-5f, 1e-6f), o + ": " + l64.data() + " vs " + l32.data());
            l32.sum().backward();
            l64.sum().backward();
            assertEquals(DType.FLOAT64, z64.grad().dtype());
            assertTrue(z64.grad().allClose(z32.grad(), 1e-5f, 1e-6f), o + ": gradients differ");
        }
    }

    /** By hand: two classes, logits [0, ln 3]: p = [1/4, 3/4]; the loss of class 1 is ln(4/3). */
    @Test
    void aHandComputedCase() {
        Variable z = Variable.of(Tensor.of(new double[] {0, Math.log(3)}, 1, 2));
        double loss = NeuralOps.crossEntropy(z, Tensor.of(new long[] {1})).itemDouble();
        assertEquals(Math.log(4.0 / 3.0), loss, 1e-15);
    }
}
