package dev.frelon.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitVectorTest {

    /** Pieces lie end to end: gather reads them in order into one array, scatter writes one back into them. */
    @Test
    void gatherAndScatterMapTheVectorOntoItsPieces() {
        SplitVector v = new SplitVector(2, 0, 3);
        float[] a = {1, 2}, c = {3, 4, 5};
        v.set(0, a);
        v.set(2, c);
        assertEquals(5, v.length());
        assertEquals(3, v.pieces());
        assertEquals(2, v.start(2));
        assertArrayEquals(new int[] {2, 0, 3}, v.lengths());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, v.gather());

        v.scatter(new float[] {10, 20, 30, 40, 50, 60});
        assertArrayEquals(new float[] {10, 20}, a);
        assertArrayEquals(new float[] {30, 40, 50}, c);
        assertSame(c, v.piece(2));
        assertArrayEquals(new float[] {10, 20, 30, 40, 50}, v.gather());
    }

    /** Element i means the same in two vectors only when their pieces have the same lengths, not just the same total. */
    @Test
    void layoutsCompareByPieceLengths() {
        assertTrue(new SplitVector(2, 3).sameLayout(new SplitVector(2, 3)));
        assertFalse(new SplitVector(2, 3).sameLayout(new SplitVector(3, 2)));
        assertFalse(new SplitVector(5).sameLayout(new SplitVector(2, 3)));
        float[] whole = {1, 2, 3};
        assertSame(whole, SplitVector.of(whole).piece(0));
    }

    /** A piece's array must have the piece's length, and a length cannot be negative. */
    @Test
    void refusesArraysAndLengthsThatDoNotFit() {
        SplitVector v = new SplitVector(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.set(1, new float[2]));
        assertEquals("SplitVector: piece 1 holds 3 elements, got an array of 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SplitVector(4, -1));
        assertEquals("SplitVector: piece 1 has a negative length, -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SplitVector(Integer.MAX_VALUE, 1));
        assertTrue(e.getMessage().startsWith("SplitVector: the pieces [2147483647, 1] hold more elements than an array can"),
                e.getMessage());
    }
}
