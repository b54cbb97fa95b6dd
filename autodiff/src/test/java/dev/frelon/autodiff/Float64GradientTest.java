package dev.frelon.autodiff;

import dev.frelon.core.CrossEntropy;
import dev.frelon.core.DType;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Float64 gradients to the last bits, where GradCheck's 1e-6 could not tell a gradient rounded to float32 (about
 * 6e-8 off) from an exact one: each value here is worked out by hand.
 */
class Float64GradientTest {

    private static Variable x(double... v) {
        return Variable.parameter(Tensor.of(v));
    }

    @Test
    void indexingAndReductionGradientsStayInFloat64() {
        Variable a = x(1, 2, 3);
        a.select(0, 1).mul(0.1).backward();
        assertEquals(0.1, a.grad().getDouble(1), 0);
        Variable b = x(1, 2, 3);
        b.mean().backward();
        assertEquals(1.0 / 3, b.grad().getDouble(0), 0);
        Variable c = x(5, 9, 7);
        c.max(0).values().mul(0.1).backward();
        assertEquals(0.1, c.grad().getDouble(1), 0);
        Variable d = x(1, 2, 3, 4);
        d.narrow(0, 1, 2).sum().mul(0.1).backward();
        assertEquals(0.1, d.grad().getDouble(2), 0);
        assertEquals(DType.FLOAT64, d.grad().dtype());
    }

    @Test
    void scalarDivisionAndPowerAreExactInFloat64() {
        assertEquals(0.3, x(3).div(10.0).itemDouble(), 0);
        assertEquals(1.0 / 3, x(1).div(3).itemDouble(), 0);
        Variable p = x(2);
        Variable y = p.pow(0.1);
        assertEquals(Math.pow(2, 0.1), y.itemDouble(), Math.ulp(Math.pow(2, 0.1)));
        y.backward();
        assertEquals(0.1 * Math.pow(2, -0.9), p.grad().getDouble(0), 2 * Math.ulp(0.1 * Math.pow(2, -0.9)));
    }

    /** An ignored row whose logits hold -inf adds nothing: the mean over the other row is ln 2, as in float32. */
    @Test
    void ignoredRowsWithInfiniteLogitsAddNothing() {
        Tensor logits = Tensor.of(new double[] {0, 0, Double.NEGATIVE_INFINITY, 0}, 2, 2);
        Tensor targets = Tensor.of(new long[] {0, -100});
        double loss = NeuralOps.crossEntropy(Variable.parameter(logits), targets, CrossEntropy.Options.DEFAULT)
                .itemDouble();
        assertEquals(Math.log(2), loss, 1e-15);
        float loss32 = NeuralOps.crossEntropy(Variable.parameter(logits.to(DType.FLOAT32)), targets).item();
        assertEquals(Math.log(2), loss32, 1e-6);
    }

    /** Float64 GELU is x·Φ(x) to float64 accuracy: GELU(1) = Φ(1) = 0.8413447460685429 (erf from Commons Math). */
    @Test
    void geluIsAccurateInFloat64() {
        Variable x = x(1, -0.5);
        Variable y = x.gelu();
        double phi1 = 0.5 * (1 + org.apache.commons.math3.special.Erf.erf(1 / Math.sqrt(2)));
        assertEquals(0.8413447460685429, phi1, 1e-15);
        assertEquals(phi1, y.data().getDouble(0), 1e-15);
        y.sum().backward();
        // d/dx x·Φ(x) = Φ(x) + x·φ(x)
        assertEquals(phi1 + Math.exp(-0.5) / Math.sqrt(2 * Math.PI), x.grad().getDouble(0), 1e-15);
    }
}
