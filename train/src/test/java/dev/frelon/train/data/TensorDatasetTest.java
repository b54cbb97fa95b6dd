package dev.frelon.train.data;

import dev.frelon.core.DType;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorDatasetTest {

    /** Features [5, 2, 3] with element value 100*i + k, targets [5] = 10*i. */
    static TensorDataset sample() {
        float[] x = new float[5 * 6];
        float[] y = new float[5];
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < 6; k++) {
                x[i * 6 + k] = 100 * i + k;
            }
            y[i] = 10 * i;
        }
        return new TensorDataset(Tensor.of(x, 5, 2, 3), Tensor.of(y, 5));
    }

    @Test
    void getReturnsViewsOfOneRow() {
        TensorDataset ds = sample();
        assertEquals(5, ds.size());
        Example e = ds.get(3);
        assertArrayEquals(new int[] {2, 3}, e.x().shape());
        assertArrayEquals(new float[] {300, 301, 302, 303, 304, 305}, e.x().toArray(), 0f);
        assertEquals(0, e.y().dim());
        assertEquals(30f, e.y().item(), 0f);
        assertTrue(e.x().sharesStorageWith(ds.features()));
    }

    @Test
    void gatherCopiesRowsInTheGivenOrder() {
        TensorDataset ds = sample();
        Batch b = ds.gather(new int[] {4, 0, 4});
        assertArrayEquals(new int[] {3, 2, 3}, b.x().shape());
        assertArrayEquals(new int[] {3}, b.y().shape());
        assertEquals(3, b.size());
        assertArrayEquals(new float[] {400, 401, 402, 403, 404, 405, 0, 1, 2, 3, 4, 5, 400, 401, 402, 403, 404, 405},
                b.x().toArray(), 0f);
        assertArrayEquals(new float[] {40, 0, 40}, b.y().toArray(), 0f);
        assertFalse(b.x().sharesStorageWith(ds.features()));
    }

    /** int64 labels keep their dtype through a batch, and a bad index is still refused by name. */
    @Test
    void gatherKeepsInt64Labels() {
        TensorDataset ds = new TensorDataset(sample().features(), Tensor.of(new long[] {7, 1L << 40, 5, 3, 2}));
        Batch b = ds.gather(new int[] {1, 4});
        assertEquals(DType.INT64, b.y().dtype());
        assertArrayEquals(new long[] {1L << 40, 2}, b.y().toLongArray());
        assertArrayEquals(new float[] {100, 101, 102, 103, 104, 105, 400, 401, 402, 403, 404, 405}, b.x().toArray(), 0f);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ds.gather(new int[] {0, 5}));
        assertEquals("TensorDataset.gather: index 5 at position 1 is out of range for 5 examples", e.getMessage());
    }

    @Test
    void gatherAgreesWithTheGenericStackingPath() {
        TensorDataset ds = sample();
        Dataset generic = new Dataset() {
            @Override
            public int size() {
                return ds.size();
            }

            @Override
            public Example get(int i) {
                return ds.get(i);
            }
        };
        int[] idx = {2, 1, 3};
        Batch fast = ds.gather(idx);
        Batch slow = generic.gather(idx);
        assertEquals(slow.x(), fast.x());
        assertEquals(slow.y(), fast.y());
    }

    @Test
    void nonContiguousAndOffsetInputsAreHandled() {
        // Features given transposed (non-contiguous): rows must still be the rows of the logical tensor.
        Tensor ft = Tensor.arange(6).reshape(2, 3).t(); // [3, 2]: rows (0,3), (1,4), (2,5)
        Tensor targets = Tensor.arange(10).narrow(0, 7, 3); // offset view: 7, 8, 9
        TensorDataset ds = new TensorDataset(ft, targets);
        Batch b = ds.gather(new int[] {2, 0});
        assertArrayEquals(new float[] {2, 5, 0, 3}, b.x().toArray(), 0f);
        assertArrayEquals(new float[] {9, 7}, b.y().toArray(), 0f);
    }

    @Test
    void multiDimTargetsKeepTheirShape() {
        TensorDataset ds = new TensorDataset(Tensor.arange(8).reshape(4, 2), Tensor.arange(12).reshape(4, 3));
        Batch b = ds.gather(new int[] {1, 3});
        assertArrayEquals(new int[] {2, 3}, b.y().shape());
        assertArrayEquals(new float[] {3, 4, 5, 9, 10, 11}, b.y().toArray(), 0f);
    }

    @Test
    void badInputGivesClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("4 examples") && e.getMessage().contains("3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.scalar(1), Tensor.zeros(1)));
        TensorDataset ds = sample();
        IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class, () -> ds.gather(new int[] {0, 5}));
        assertTrue(o.getMessage().contains("index 5") && o.getMessage().contains("5 examples"), o.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(-1));
        assertThrows(IllegalArgumentException.class, () -> ds.gather(new int[0]));
    }

    @Test
    void subsetMapsIndicesAndKeepsTheFastPath() {
        TensorDataset ds = sample();
        Dataset sub = ds.subset(new int[] {4, 2});
        assertEquals(2, sub.size());
        assertEquals(20f, sub.get(1).y().item(), 0f);
        Batch b = sub.gather(new int[] {1, 0});
        assertArrayEquals(new float[] {20, 40}, b.y().toArray(), 0f);
        assertThrows(IndexOutOfBoundsException.class, () -> ds.subset(new int[] {5}));
    }
}
