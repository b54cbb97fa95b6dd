package dev.frelon.core;

import org.junit.jupiter.api.Test;

import static dev.frelon.core.Check.exact;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.ioobe;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** concat, stack, indexSelect, indexAdd, gather, scatterAdd, oneHot. */
class TensorIndexingTest {

    private static double dot(Tensor a, Tensor b) {
        float[] x = a.toArray(), y = b.toArray();
        assertEquals(x.length, y.length);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * (double) y[i];
        }
        return s;
    }

    private static Tensor idx(float... v) {
        return Tensor.of(v);
    }

    // ---------------------------------------------------------------------------------- concat / stack

    @Test
    void concatJoinsAlongADim() {
        Tensor a = Tensor.of(new float[][] {{1, 2}});
        Tensor b = Tensor.of(new float[][] {{3, 4}, {5, 6}});
        exact(Tensor.concat(0, a, b), shape(3, 2), 1, 2, 3, 4, 5, 6);
        Tensor c = Tensor.of(new float[] {7, 8}, 2, 1);
        exact(Tensor.concat(1, b, c), shape(2, 3), 3, 4, 7, 5, 6, 8);
        exact(Tensor.concat(-1, c, b), shape(2, 3), 7, 3, 4, 8, 5, 6);
        // Non-contiguous parts and an empty part.
        exact(Tensor.concat(0, b.t(), Tensor.zeros(0, 2), a), shape(3, 2), 3, 5, 4, 6, 1, 2);
        exact(Tensor.concat(1, Tensor.arange(6).reshape(2, 3).slice(1, 0, 3, 2), Tensor.ones(1, 1).expand(2, 1)),
                shape(2, 3), 0, 2, 1, 3, 5, 1);
        Tensor three = Tensor.concat(1, Tensor.arange(4).reshape(1, 2, 2), Tensor.arange(4, 10, 1).reshape(1, 3, 2));
        exact(three, shape(1, 5, 2), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor single = Tensor.concat(0, a);
        assertEquals(a, single);
        assertFalse(single.sharesStorageWith(a), "concat always returns a new tensor");
    }

    @Test
    void concatErrors() {
        iae(() -> Tensor.concat(0), "concat: needs at least one tensor");
        iae(() -> Tensor.concat(0, Tensor.scalar(1f), Tensor.scalar(2f)), "concat: cannot concatenate 0-d tensors; use stack");
        iae(() -> Tensor.concat(0, Tensor.zeros(2, 2), Tensor.zeros(2)), "concat: tensor 1 has shape [2], rank differs from tensor 0's [2, 2]");
        iae(() -> Tensor.concat(0, Tensor.zeros(2, 2), Tensor.zeros(3, 3)),
                "concat: tensor 1 has shape [3, 3], which differs from tensor 0's [2, 2] outside dim 0");
        iae(() -> Tensor.concat(1, Tensor.zeros(2, 2), Tensor.zeros(2, 1), Tensor.zeros(1, 2)),
                "concat: tensor 2 has shape [1, 2], which differs from tensor 0's [2, 2] outside dim 1");
        ioobe(() -> Tensor.concat(2, Tensor.zeros(2, 2)), "concat: dim 2 is out of range for a tensor of rank 2");
    }

    @Test
    void stackAddsADim() {
        Tensor a = Tensor.of(new float[] {1, 2}), b = Tensor.of(new float[] {3, 4});
        exact(Tensor.stack(0, a, b), shape(2, 2), 1, 2, 3, 4);
        exact(Tensor.stack(1, a, b), shape(2, 2), 1, 3, 2, 4);
        exact(Tensor.stack(-1, a, b), shape(2, 2), 1, 3, 2, 4);
        exact(Tensor.stack(-2, a, b), shape(2, 2), 1, 2, 3, 4);
        exact(Tensor.stack(0, Tensor.scalar(1f), Tensor.scalar(2f), Tensor.scalar(3f)), shape(3), 1, 2, 3);
        Tensor m = Tensor.arange(6).reshape(2, 3);
        exact(Tensor.stack(1, m, m.mul(10f)), shape(2, 2, 3), 0, 1, 2, 0, 10, 20, 3, 4, 5, 30, 40, 50);
        exact(Tensor.stack(2, m.t(), m.t()), shape(3, 2, 2), 0, 0, 3, 3, 1, 1, 4, 4, 2, 2, 5, 5);
    }

    @Test
    void stackErrors() {
        iae(() -> Tensor.stack(0), "stack: needs at least one tensor");
        iae(() -> Tensor.stack(0, Tensor.zeros(2), Tensor.zeros(3)), "stack: tensor 1 has shape [3], tensor 0 has [2]");
        iae(() -> Tensor.stack(0, Tensor.zeros(2), Tensor.zeros(2, 1)), "stack: tensor 1 has shape [2, 1], tensor 0 has [2]");
        ioobe(() -> Tensor.stack(2, Tensor.zeros(2)), "stack: dim 2 is out of range");
        ioobe(() -> Tensor.stack(-3, Tensor.zeros(2)), "stack: dim -3 is out of range");
    }

    // ---------------------------------------------------------------------------------- indexSelect / indexAdd

    @Test
    void indexSelectPicksSlices() {
        Tensor x = Tensor.arange(12).reshape(3, 4);
        exact(x.indexSelect(0, 2, 0, 2), shape(3, 4), 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
        exact(x.indexSelect(1, -1, 1), shape(3, 2), 3, 1, 7, 5, 11, 9);
        exact(x.indexSelect(0), shape(0, 4));
        exact(x.t().indexSelect(0, 3), shape(1, 3), 3, 7, 11);
        exact(x.slice(1, 0, 4, 2).indexSelect(1, 1, 1, 0), shape(3, 3), 2, 2, 0, 6, 6, 4, 10, 10, 8);
        Tensor s = x.indexSelect(0, 1);
        assertFalse(s.sharesStorageWith(x));
        ioobe(() -> x.indexSelect(0, 3), "indexSelect: index 3 is out of range for dim 0 of size 3 (shape [3, 4])");
        ioobe(() -> x.indexSelect(1, 0, -5), "indexSelect: index -5 is out of range for dim 1 of size 4 (shape [3, 4])");
        ioobe(() -> x.indexSelect(2, 0), "indexSelect: dim 2 is out of range");
        ioobe(() -> Tensor.scalar(1f).indexSelect(0, 0), "indexSelect", "0-d");
    }

    @Test
    void indexAddAccumulatesRepeats() {
        Tensor base = Tensor.zeros(3, 2);
        Tensor src = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor out = base.indexAdd(0, new int[] {0, 2, 0}, src);
        exact(out, shape(3, 2), 6, 8, 0, 0, 3, 4);
        exact(base, shape(3, 2), 0, 0, 0, 0, 0, 0);
        exact(Tensor.ones(2, 3).indexAdd(1, new int[] {-1, 0}, Tensor.of(new float[][] {{10, 20}, {30, 40}})),
                shape(2, 3), 21, 1, 11, 41, 1, 31);
        exact(Tensor.ones(2).indexAdd(0, new int[0], Tensor.zeros(0)), shape(2), 1, 1);
        // indexAdd is the adjoint of indexSelect: <select(x), y> == <x, add(0, y)>.
        Tensor x = Check.random(1, 5, 3);
        int[] index = {4, 0, 4, 2};
        Tensor y = Check.random(2, 4, 3);
        assertEquals(dot(x.indexSelect(0, index), y), dot(x, Tensor.zeros(5, 3).indexAdd(0, index, y)), 1e-5);
        iae(() -> base.indexAdd(0, new int[] {0, 1}, src), "indexAdd: src has shape [3, 2], expected [2, 2]");
        ioobe(() -> base.indexAdd(0, new int[] {0, 5, 1}, src), "indexAdd: index 5 is out of range for dim 0 of size 3 (shape [3, 2])");
        ioobe(() -> base.indexAdd(2, new int[] {0}, src), "indexAdd: dim 2 is out of range");
        ioobe(() -> Tensor.scalar(1f).indexAdd(0, new int[] {0}, Tensor.ones(1)), "indexAdd", "0-d");
    }

    // ---------------------------------------------------------------------------------- gather / scatterAdd

    @Test
    void gatherAsPyTorch() {
        // torch.gather(t, 1, torch.tensor([[0, 0], [1, 0]])) == [[1, 1], [4, 3]] (PyTorch documentation).
        Tensor t = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        exact(t.gather(1, Tensor.of(new float[][] {{0, 0}, {1, 0}})), shape(2, 2), 1, 1, 4, 3);
        exact(t.gather(0, Tensor.of(new float[][] {{0, 1}, {1, 0}})), shape(2, 2), 1, 4, 3, 2);
        exact(t.gather(-1, Tensor.of(new float[][] {{1}})), shape(1, 1), 2);
        exact(t.gather(1, Tensor.of(new float[][] {{0, 1, 1, 0}})), shape(1, 4), 1, 2, 2, 1);
        exact(t.t().gather(1, Tensor.of(new float[][] {{1, 1}, {0, 0}}).t()), shape(2, 2), 3, 1, 4, 2);
        exact(t.gather(0, Tensor.zeros(0, 2)), shape(0, 2));
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        Tensor g = x.gather(2, Tensor.of(new float[] {3, 0, 1, 2, 2, 2}, 2, 3, 1));
        exact(g, shape(2, 3, 1), 3, 4, 9, 14, 18, 22);
        // Picking the target's logit per row, as a loss does.
        Tensor logits = Tensor.of(new float[][] {{0.1f, 0.7f, 0.2f}, {0.5f, 0.3f, 0.2f}});
        exact(logits.gather(1, Tensor.of(new float[] {1, 0}, 2, 1)).squeeze(1), shape(2), 0.7f, 0.5f);
        exact(Tensor.scalar(3f).gather(0, Tensor.scalar(0f)), shape(), 3);
    }

    @Test
    void gatherErrors() {
        Tensor t = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        iae(() -> t.gather(0, idx(0, 1)), "gather: index has rank 1 (shape [2]), input has rank 2 (shape [2, 2])");
        iae(() -> t.gather(1, Tensor.zeros(3, 1)), "gather: index shape [3, 1] is larger than input shape [2, 2] in dim 0");
        ioobe(() -> t.gather(1, Tensor.of(new float[][] {{0, 2}})), "gather: index 2.0 is out of range for dim 1 of size 2 (shape [2, 2])");
        ioobe(() -> t.gather(0, Tensor.of(new float[][] {{-1, 0}})), "gather: index -1.0 is out of range for dim 0 of size 2");
        ioobe(() -> t.gather(0, Tensor.of(new float[][] {{0.5f, 0}})), "gather: index 0.5 is out of range for dim 0");
        ioobe(() -> t.gather(0, Tensor.of(new float[][] {{Float.NaN, 0}})), "gather: index NaN is out of range");
        ioobe(() -> t.gather(2, Tensor.zeros(1, 1)), "gather: dim 2 is out of range");
        ioobe(() -> Tensor.scalar(3f).gather(0, Tensor.scalar(5f)), "gather: index 5.0 is out of range");
    }

    @Test
    void scatterAddIsTheAdjointOfGather() {
        Tensor out = Tensor.zeros(2, 3).scatterAdd(0, Tensor.of(new float[][] {{0, 1, 0}, {0, 0, 1}}),
                Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        exact(out, shape(2, 3), 5, 5, 3, 0, 2, 6);
        Tensor ones = Tensor.ones(2, 2);
        exact(ones.scatterAdd(1, Tensor.of(new float[][] {{1, 1, 1}, {0, 1, 0}}), Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}})),
                shape(2, 2), 1, 7, 11, 6);
        exact(ones, shape(2, 2), 1, 1, 1, 1);
        // Non-contiguous index and src.
        exact(Tensor.zeros(2, 2).scatterAdd(1, Tensor.of(new float[][] {{1, 0}, {1, 1}}).t(), Tensor.of(new float[][] {{1, 2}, {3, 4}}).t()),
                shape(2, 2), 0, 4, 2, 4);
        Tensor x = Check.random(3, 4, 5);
        Tensor index = Tensor.of(new float[] {0, 3, 3, 1, 2, 0, 0, 3, 1, 1, 2, 2}, 3, 4);
        Tensor y = Check.random(4, 3, 4);
        for (int dim : new int[] {0, 1}) {
            Tensor ix = dim == 0 ? index.narrow(0, 0, 3).clamp(0, 3) : index.clamp(0, 4);
            assertEquals(dot(x.gather(dim, ix), y), dot(x, Tensor.zeros(4, 5).scatterAdd(dim, ix, y)), 1e-5, "dim " + dim);
        }
        iae(() -> Tensor.zeros(2, 3).scatterAdd(0, Tensor.zeros(2, 3), Tensor.zeros(2, 2)),
                "scatterAdd: index shape [2, 3] differs from src shape [2, 2]");
        iae(() -> Tensor.zeros(2, 3).scatterAdd(0, Tensor.zeros(3), Tensor.zeros(3)), "scatterAdd: index has rank 1 (shape [3]), input has rank 2");
        iae(() -> Tensor.zeros(2, 3).scatterAdd(0, Tensor.zeros(1, 4), Tensor.zeros(1, 4)),
                "scatterAdd: index shape [1, 4] is larger than input shape [2, 3] in dim 1");
        ioobe(() -> Tensor.zeros(2, 3).scatterAdd(0, Tensor.full(2f, 1, 1), Tensor.ones(1, 1)),
                "scatterAdd: index 2.0 is out of range for dim 0 of size 2 (shape [2, 3])");
        exact(Tensor.scalar(1f).scatterAdd(0, Tensor.scalar(0f), Tensor.scalar(2f)), shape(), 3);
        ioobe(() -> Tensor.scalar(1f).scatterAdd(0, Tensor.scalar(1f), Tensor.scalar(2f)), "scatterAdd: index 1.0 is out of range");
    }

    // ---------------------------------------------------------------------------------- oneHot

    @Test
    void oneHotEncodes() {
        exact(Tensor.oneHot(idx(2, 0, 1), 3), shape(3, 3), 0, 0, 1, 1, 0, 0, 0, 1, 0);
        exact(Tensor.oneHot(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2), 2), shape(2, 2, 2), 0, 1, 1, 0, 1, 0, 0, 1);
        exact(Tensor.oneHot(Tensor.scalar(1f), 4), shape(4), 0, 1, 0, 0);
        exact(Tensor.oneHot(Tensor.of(new float[] {0, 1, 2, 3}, 2, 2).t(), 4), shape(2, 2, 4),
                1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1);
        exact(Tensor.oneHot(Tensor.zeros(0), 3), shape(0, 3));
        iae(() -> Tensor.oneHot(idx(0), 0), "oneHot: numClasses must be positive, got 0");
        ioobe(() -> Tensor.oneHot(idx(3, 0), 3), "oneHot: label 3.0 at position 0 is not an integer in [0, 3)");
        ioobe(() -> Tensor.oneHot(idx(0, 1.5f), 3), "oneHot: label 1.5 at position 1 is not an integer in [0, 3)");
        ioobe(() -> Tensor.oneHot(idx(-1), 3), "oneHot: label -1.0 at position 0");
    }
}
