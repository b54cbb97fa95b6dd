package dev.frelon.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** tril, triu and maskedFill, against PyTorch's results. */
class MaskTest {

    @Test
    void trianglesAsPyTorch() {
        Tensor x = Tensor.arange(1, 13, 1).reshape(3, 4);
        // torch.arange(1, 13.).reshape(3, 4).tril() / .triu(1) / .tril(-1)
        assertArrayEquals(new float[] {1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0}, x.tril(0).toArray(), 0f);
        assertArrayEquals(new float[] {0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12}, x.triu(1).toArray(), 0f);
        assertArrayEquals(new float[] {0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0}, x.tril(-1).toArray(), 0f);
        Tensor batch = Tensor.ones(2, 2, 2).triu(0);
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1, 0, 1}, batch.toArray(), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(3).tril(0));
        assertEquals("tril: needs at least 2 dims, got shape [3]", e.getMessage());
    }

    @Test
    void maskedFillMakesACausalMask() {
        Tensor scores = Tensor.zeros(3, 3).maskedFill(Tensor.ones(DType.BOOL, 3, 3).triu(1), Float.NEGATIVE_INFINITY);
        float n = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new float[] {0, n, n, 0, 0, n, 0, 0, 0}, scores.toArray(), 0f);
        // A [B, 1, T] padding mask broadcast over the rows of [B, T, T] scores.
        Tensor pad = Tensor.of(new boolean[] {false, false, true, false, true, true}, 2, 1, 3);
        Tensor filled = Tensor.ones(2, 3, 3).maskedFill(pad, -1f);
        assertArrayEquals(new float[] {1, 1, -1}, filled.select(0, 0).select(0, 2).toArray(), 0f);
        assertArrayEquals(new float[] {1, -1, -1}, filled.select(0, 1).select(0, 0).toArray(), 0f);
        // A float mask is refused, as in PyTorch: 0/1 floats are not a mask.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ones(2, 2).maskedFill(Tensor.ones(2, 2), 0f));
        assertEquals("maskedFill: the mask must be a bool tensor, got float32 of shape"
                + " [2, 2] (make one with a comparison or to(DType.BOOL))", e.getMessage());
        // An int64 tensor keeps its dtype; a value it cannot hold is refused.
        Tensor ids = Tensor.of(new long[] {5, 6, 7}).maskedFill(Tensor.of(new boolean[] {false, true, false}), -100);
        assertEquals(DType.INT64, ids.dtype());
        assertArrayEquals(new long[] {5, -100, 7}, ids.toLongArray());
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {1}).maskedFill(Tensor.of(new boolean[] {true}), 0.5));
    }
}
