package dev.frelon.nn;

import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Initialisers against their defining bounds and standard deviations (sample statistics, Commons Math). */
class InitTest {

    private static DescriptiveStatistics stats(Tensor t) {
        DescriptiveStatistics s = new DescriptiveStatistics();
        for (float v : t.toArray()) {
            s.addValue(v);
        }
        return s;
    }

    @Test
    void fansOfLinearAndConvWeights() {
        assertArrayEquals(new int[] {784, 128}, Init.fans(Tensor.zeros(128, 784)));
        assertArrayEquals(new int[] {6 * 25, 16 * 25}, Init.fans(Tensor.zeros(16, 6, 5, 5)));
        assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.scalar(1)));
    }

    @Test
    void kaimingAndXavierMatchTheirDefinitions() {
        Rng rng = new Rng(3);
        Tensor w = Tensor.zeros(256, 400);                 // fanIn 400, fanOut 256
        DescriptiveStatistics s = stats(Init.kaimingUniform(w, 0, true, "relu", rng));
        double bound = Math.sqrt(2) * Math.sqrt(3.0 / 400);
        assertTrue(s.getMax() <= bound && s.getMin() >= -bound);
        assertEquals(bound, s.getMax(), bound * 0.01);
        assertEquals(bound / Math.sqrt(3), s.getStandardDeviation(), bound / Math.sqrt(3) * 0.02);

        s = stats(Init.kaimingNormal(w, 0, false, "relu", rng));
        assertEquals(Math.sqrt(2.0 / 256), s.getStandardDeviation(), Math.sqrt(2.0 / 256) * 0.02);
        assertEquals(0, s.getMean(), 0.002);

        s = stats(Init.xavierUniform(w, 1.0, rng));
        double xb = Math.sqrt(6.0 / (400 + 256));
        assertTrue(s.getMax() <= xb && s.getMin() >= -xb);
        assertEquals(xb / Math.sqrt(3), s.getStandardDeviation(), xb / Math.sqrt(3) * 0.02);

        s = stats(Init.xavierNormal(w, Init.gain("tanh", 0), rng));
        double xs = 5.0 / 3 * Math.sqrt(2.0 / (400 + 256));
        assertEquals(xs, s.getStandardDeviation(), xs * 0.02);
    }

    @Test
    void pytorchDefaultsForLinearAndConv() {
        Linear l = new Linear(400, 120, true, new Rng(1));
        double b = 1 / Math.sqrt(400);
        DescriptiveStatistics w = stats(l.weight().data()), bias = stats(l.bias().data());
        assertTrue(w.getMax() <= b && w.getMin() >= -b && w.getMax() > 0.95 * b);
        assertTrue(bias.getMax() <= b && bias.getMin() >= -b);
        Conv2d c = new Conv2d(6, 16, 5, Conv2d.Options.DEFAULT, new Rng(1));
        double cb = 1 / Math.sqrt(150);
        DescriptiveStatistics cw = stats(c.weight().data());
        assertTrue(cw.getMax() <= cb && cw.getMin() >= -cb && cw.getMax() > 0.95 * cb);
    }

    @Test
    void constantsAndGains() {
        Tensor t = Tensor.zeros(2, 3);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, Init.ones(t).toArray(), 0f);
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, Init.constant(t, 2.5f).toArray(), 0f);
        assertArrayEquals(new float[6], Init.zeros(t).toArray(), 0f);
        assertEquals(Math.sqrt(2 / (1 + 0.01)), Init.gain("leaky_relu", 0.1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Init.gain("swish", 0));
    }
}
