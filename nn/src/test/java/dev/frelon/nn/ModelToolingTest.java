package dev.frelon.nn;

import dev.frelon.autodiff.GradCheck;
import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Pool2dSpec;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Summaries, errors that name their layer, functional batch norm and pooling, BatchNorm's parameters. */
class ModelToolingTest {

    private static Sequential lenet() {
        Rng rng = new Rng(5);
        return new Sequential(
                new Conv2d(1, 6, 5, Conv2d.Options.padding(2), rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5, Conv2d.Options.DEFAULT, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(400, 120, true, rng), new ReLU(),
                new Linear(120, 84, true, rng), new ReLU(), new Linear(84, 10, true, rng));
    }

    @Test
    void summaryGivesEachLayersOutputShapeAndParameterCount() {
        Sequential model = lenet();
        model.train();
        Summary s = Summary.of(model, 2, 1, 28, 28);
        // LeNet-5: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 parameters (as torchinfo counts them).
        assertEquals(61_706, s.totalParams());
        assertEquals(61_706, s.trainableParams());
        assertEquals(13, s.rows().size());
        assertArrayEquals(new int[] {2, 10}, s.rows().get(0).outputShape());
        assertEquals("Conv2d", s.rows().get(1).type());
        assertArrayEquals(new int[] {2, 6, 28, 28}, s.rows().get(1).outputShape());
        assertEquals(156, s.rows().get(1).params());
        assertArrayEquals(new int[] {2, 6, 14, 14}, s.rows().get(3).outputShape());
        assertArrayEquals(new int[] {2, 16, 10, 10}, s.rows().get(4).outputShape());
        assertArrayEquals(new int[] {2, 400}, s.rows().get(7).outputShape());
        assertEquals(48_120, s.rows().get(8).params());
        String table = s.toString();
        assertTrue(table.contains("Total params: 61,706"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("\\s+6 Flatten\\s+\\[2, 400]\\s+0")), table);
        assertTrue(model.isTraining(), "the summary restores the training mode");
    }

    @Test
    void summaryLeavesRunningStatisticsAloneAndShowsLayersItCannotSee() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Module custom = new Module() {
            private final Linear inner = register("inner", new Linear(3, 2));
            @Override public Variable forward(Variable x) { return inner.forward(x); }
        };
        Sequential model = new Sequential(bn, new Flatten(2, -1), new ReLU());
        Summary s = Summary.of(model, 4, 3, 2, 2);
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().toArray(), 0f);
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().toArray(), 0f);
        assertArrayEquals(new int[] {4, 3, 4}, s.rows().get(2).outputShape());
        Summary c = Summary.of(custom, 5, 3);
        assertArrayEquals(new int[] {5, 2}, c.rows().get(0).outputShape());
        assertNull(c.rows().get(1).outputShape(), "a layer called by a custom forward is not observed");
        assertEquals(8, c.rows().get(1).params());
    }

    @Test
    void anErrorInsideSequentialNamesTheLayerItsClassAndInput() {
        Sequential model = lenet();
        var e = assertThrows(IllegalArgumentException.class, () -> model.forward(Tensor.zeros(2, 1, 32, 32)));
        assertTrue(e.getMessage().startsWith("Sequential layer 7 (Linear(in=400, out=120"), e.getMessage());
        assertTrue(e.getMessage().contains("on input of shape [2, 576]"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        var nested = new Sequential(new ReLU(), new Sequential(new Linear(4, 3), new Linear(2, 1)));
        var n = assertThrows(IllegalArgumentException.class, () -> nested.forward(Tensor.zeros(1, 4)));
        assertTrue(n.getMessage().startsWith("Sequential layer 1 (Sequential()) on input of shape [1, 4]: Sequential layer 1 (Linear"),
                n.getMessage());
    }

    @Test
    void functionalBatchNormMatchesTheLayerAndTheClosedForm() {
        // Channel 0 holds 1, 3 and channel 1 holds 2, 6 over a batch of two: means 2 and 4, biased variances 1 and 4.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 6}, 2, 2);
        Tensor mean = Tensor.zeros(2), var = Tensor.ones(2);
        Variable w = Variable.parameter(Tensor.of(new float[] {2, 1})), b = Variable.parameter(Tensor.of(new float[] {0, 10}));
        Variable y = NeuralOps.batchNorm(Variable.of(x), mean, var, w, b, true, 0.1f, 1e-5f);
        float s0 = (float) (1 / Math.sqrt(1 + 1e-5)), s1 = (float) (1 / Math.sqrt(4 + 1e-5));
        assertArrayEquals(new float[] {-2 * s0, 10 - 2 * s1, 2 * s0, 10 + 2 * s1}, y.data().toArray(), 1e-6f);
        // running = 0.9·running + 0.1·batch, the variance unbiased (n = 2: 2 and 8).
        assertArrayEquals(new float[] {0.2f, 0.4f}, mean.toArray(), 1e-7f);
        assertArrayEquals(new float[] {1.1f, 1.7f}, var.toArray(), 1e-6f);

        BatchNorm1d layer = new BatchNorm1d(2);
        layer.weight().data().copyFrom(w.data());
        layer.bias().data().copyFrom(b.data());
        assertEquals(y.data(), layer.forward(x).data());
        assertSame(layer.namedParameters().get("weight"), layer.weight());
        assertSame(layer.namedParameters().get("bias"), layer.bias());

        Variable eval = NeuralOps.batchNorm(Variable.of(x), mean, var, null, null, false, 0.1f, 1e-5f);
        assertEquals((1 - 0.2f) / (float) Math.sqrt(1.1f + 1e-5f), eval.data().get(0, 0), 1e-6f);
        Tensor frozenMean = mean.copy();
        NeuralOps.batchNorm(Variable.of(x), mean, var, null, null, false, 0.1f, 1e-5f);
        assertEquals(frozenMean, mean, "eval leaves the running mean alone");

        assertTrue(GradCheck.check(v -> NeuralOps.batchNorm(v[0], null, null, Variable.of(Tensor.of(new float[] {1.5f, -1f})),
                null, true, 0.1f, 1e-5f), Tensor.randn(new int[] {4, 2, 3}, 9)).passed());
        var e = assertThrows(IllegalArgumentException.class,
                () -> NeuralOps.batchNorm(Variable.of(x), Tensor.zeros(3), Tensor.ones(3), null, null, true, 0.1f, 1e-5f));
        assertEquals("batchNorm: running mean must be [2] for input of shape [2, 2], got [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NeuralOps.batchNorm(Variable.of(x), null, null, null, null, false, 0.1f, 1e-5f));
        assertTrue(e.getMessage().contains("needs the running mean and var"), e.getMessage());
    }

    @Test
    void functionalPoolingTakesAWindowSizeOrASpec() {
        Tensor x = Tensor.arange(16).reshape(1, 1, 4, 4);
        assertArrayEquals(new float[] {5, 7, 13, 15}, NeuralOps.maxPool2d(Variable.of(x), 2).data().toArray(), 0f);
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, NeuralOps.avgPool2d(Variable.of(x), 2).data().toArray(), 0f);
        // 3×3 windows, stride 2, padding 1 over a 4×4 image: outputs at rows/cols {0, 2} reach inputs up to 3.
        Variable m = NeuralOps.maxPool2d(Variable.of(x), Pool2dSpec.of(3).withStride(2).withPadding(1));
        assertArrayEquals(new float[] {5, 7, 13, 15}, m.data().toArray(), 0f);
        assertEquals(new MaxPool2d(3, 2, 1).forward(x).data(), m.data());
        assertFalse(new MaxPool2d(2).toString().contains("groups"));
    }
}
