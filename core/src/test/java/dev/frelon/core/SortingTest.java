package dev.frelon.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** topk, sort, argsort, any, all and typed arange, against values worked out by hand (PyTorch's conventions). */
class SortingTest {

    @Test
    void topkPicksTheLargestInOrderWithInt64Positions() {
        Tensor x = Tensor.of(new float[] {3, 1, 4, 1, 5, 9, 2, 6}, 2, 4);
        IndexedValues<Tensor> top = x.topk(2);
        assertArrayEquals(new float[] {4, 3, 9, 6}, top.values().toArray(), 0f);
        assertEquals(DType.INT64, top.indices().dtype());
        assertArrayEquals(new long[] {2, 0, 1, 3}, top.indices().toLongArray());
        // Along dim 0, the smallest: column by column.
        IndexedValues<Tensor> low = x.topk(1, 0, false);
        assertArrayEquals(new int[] {1, 4}, low.values().shape());
        assertArrayEquals(new float[] {3, 1, 2, 1}, low.values().toArray(), 0f);
        assertArrayEquals(new long[] {0, 0, 1, 0}, low.indices().toLongArray());
    }

    @Test
    void sortIsStableAndPutsNanAboveEveryNumber() {
        float nan = Float.NaN;
        Tensor x = Tensor.of(new float[] {2, nan, -0f, 0f, 2, -1});
        IndexedValues<Tensor> up = x.sort(0, false);
        assertArrayEquals(new float[] {-1, -0f, 0f, 2, 2, nan}, up.values().toArray(), 0f);
        // Equal values (2 and 2; -0.0 and 0.0) keep their order.
        assertArrayEquals(new long[] {5, 2, 3, 0, 4, 1}, up.indices().toLongArray());
        assertArrayEquals(new long[] {1, 0, 4, 2, 3, 5}, x.argsort(0, true).toLongArray());
        // int64 beyond 2^53 sorts exactly.
        long big = 1L << 60;
        Tensor l = Tensor.of(new long[] {big + 1, big, -big});
        assertArrayEquals(new long[] {-big, big, big + 1}, l.sort(0, false).values().toLongArray());
    }

    @Test
    void topkEdgesAndErrors() {
        Tensor s = Tensor.scalar(7f);
        assertEquals(0, s.topk(1, 0, true).values().dim());
        assertEquals(0, s.topk(1, 0, true).indices().itemLong());
        assertArrayEquals(new int[] {3, 0}, Tensor.zeros(3, 4).topk(0).values().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).topk(5));
        assertEquals("topk: k = 5 is out of range for dim -1 of size 4 (shape [3, 4])", e.getMessage());
    }

    @Test
    void anyAndAllReduceToBool() {
        assertEquals(true, Tensor.of(new float[] {0, 0, 2}).any().itemBoolean());
        assertEquals(false, Tensor.of(new float[] {0, 0, 2}).all().itemBoolean());
        assertEquals(true, Tensor.of(new boolean[] {true, true}).all().itemBoolean());
        assertEquals(DType.BOOL, Tensor.of(new long[] {0}).any().dtype());
        assertEquals(true, Tensor.zeros(0).all().itemBoolean());
        assertEquals(false, Tensor.zeros(0).any().itemBoolean());
    }

    @Test
    void arangeInOtherDtypes() {
        Tensor i = Tensor.arange(DType.INT64, (1L << 53), (1L << 53) + 3, 1);
        assertArrayEquals(new long[] {1L << 53, (1L << 53) + 1, (1L << 53) + 2}, i.toLongArray());
        assertArrayEquals(new long[] {5, 2, -1}, Tensor.arange(DType.INT32, 5, -2, -3).toLongArray());
        assertArrayEquals(new double[] {0, 0.1, 0.2}, Tensor.arange(DType.FLOAT64, 0, 0.3, 0.1).toDoubleArray(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.arange(DType.INT64, 0, 5, 0.5));
        assertEquals("arange: int64 needs whole numbers for start and step, got 0.0 and 0.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(DType.INT32, 0, 4e9, 3e9)); // 3e9 is past int32
    }
}
