package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every schedule's learning-rate sequence against its formula. */
class SchedulerTest {

    private static SGD opt(double lr) {
        return new SGD(List.of(Variable.parameter(Tensor.zeros(1))), lr);
    }

    private static void assertSequence(LRScheduler s, int steps, IntToDoubleFunction expected) {
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                s.step();
            }
            assertEquals(expected.applyAsDouble(t), s.lr(), 1e-12, "step " + t);
        }
    }

    @Test
    void stepMultiStepExponentialCosineLinear() {
        assertSequence(new Schedulers.StepLR(opt(0.1), 3, 0.5), 10, t -> 0.1 * Math.pow(0.5, t / 3));
        assertSequence(new Schedulers.MultiStepLR(opt(1), new int[] {2, 5}, 0.1), 8,
                t -> t < 2 ? 1 : t < 5 ? 0.1 : 0.01 + 0 * t);
        assertSequence(new Schedulers.ExponentialLR(opt(0.2), 0.9), 6, t -> 0.2 * Math.pow(0.9, t));
        assertSequence(new Schedulers.CosineAnnealingLR(opt(0.1), 10, 0.001), 11,
                t -> 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * t / 10)) / 2);
        assertSequence(new Schedulers.LinearLR(opt(0.1), 0.25, 1.0, 4), 7,
                t -> 0.1 * (0.25 + 0.75 * Math.min(t, 4) / 4.0));
    }

    @Test
    void multiStepHandValues() {
        Schedulers.MultiStepLR s = new Schedulers.MultiStepLR(opt(1), new int[] {2, 5}, 0.1);
        double[] expected = {1, 1, 0.1, 0.1, 0.1, 0.01, 0.01};
        for (double e : expected) {
            assertEquals(e, s.lr(), 1e-12);
            s.step();
        }
    }

    @Test
    void oneCycle() {
        int total = 20;
        Schedulers.OneCycleLR s = Schedulers.OneCycleLR.of(opt(123), 1.0, total);
        double initial = 1.0 / 25, min = initial / 1e4, end1 = 0.3 * total - 1;
        assertSequence(s, total, t -> t <= end1
                ? 1.0 + (initial - 1.0) / 2 * (1 + Math.cos(Math.PI * t / end1))
                : min + (1.0 - min) / 2 * (1 + Math.cos(Math.PI * (t - end1) / (total - 1 - end1))));
        assertEquals(min, s.lr(), 1e-15, "ends at maxLr / (div * finalDiv)");
        assertThrows(IllegalStateException.class, s::step);
    }

    @Test
    void reduceOnPlateau() {
        SGD o = opt(1.0);
        Schedulers.ReduceLROnPlateau s = new Schedulers.ReduceLROnPlateau(o, false, 0.5, 2, 0.0, 1, 0.2);
        double[] metrics = {5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4};
        double[] lrs = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            s.step(metrics[i]);
            lrs[i] = o.paramGroups().get(0).lr();
        }
        // Improvement at steps 0 and 1; bad epochs 2,3,4 -> reduce after the third (patience 2) -> 0.5;
        // cooldown 1 swallows step 5; bad 6,7,8 -> 0.25; cooldown 9; bad 10 .. -> floor 0.2 later.
        assertEquals(1.0, lrs[3], 1e-12);
        assertEquals(0.5, lrs[4], 1e-12);
        assertEquals(0.5, lrs[7], 1e-12);
        assertEquals(0.25, lrs[8], 1e-12);
        for (int i = 0; i < 10; i++) {
            s.step(4);
        }
        assertEquals(0.2, o.paramGroups().get(0).lr(), 1e-12, "never below minLr");
    }

    @Test
    void invalidSchedulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Schedulers.StepLR(opt(0.1), 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Schedulers.MultiStepLR(opt(0.1), new int[] {5, 2}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Schedulers.OneCycleLR(opt(0.1), 1, 10, 1.5, 25, 1e4));
    }
}
