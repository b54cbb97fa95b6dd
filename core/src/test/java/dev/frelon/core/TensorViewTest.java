package dev.frelon.core;

import org.junit.jupiter.api.Test;

import static dev.frelon.core.Check.exact;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.ioobe;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorViewTest {

    private static Tensor a34() {
        return Tensor.arange(12).reshape(3, 4);
    }

    // ---------------------------------------------------------------------------------- reshape / view

    @Test
    void reshapeOfAContiguousTensorIsAView() {
        Tensor base = Tensor.arange(12);
        Tensor r = base.reshape(3, 4);
        assertTrue(r.sharesStorageWith(base));
        exact(r, shape(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertEquals(6f, r.get(1, 2));
        exact(base.reshape(-1, 6), shape(2, 6), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertArrayEquals(new int[] {2, 2, 3}, base.reshape(2, -1, 3).shape());
        assertArrayEquals(new int[] {12}, r.reshape(-1).shape());
        assertArrayEquals(new int[] {1, 12, 1}, r.reshape(1, -1, 1).shape());
        r.set(-5f, 2, 3);
        assertEquals(-5f, base.get(11), "a write through the reshaped view reaches the base");
    }

    @Test
    void reshapeCopiesWhenStridesDemand() {
        Tensor base = a34();
        Tensor tr = base.t();
        Tensor flat = tr.reshape(12);
        assertFalse(flat.sharesStorageWith(base), "a transpose cannot be flattened without a copy");
        exact(flat, shape(12), 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        flat.set(100f, 0);
        assertEquals(0f, base.get(0, 0));
        // A narrowed last dim cannot merge with the dim before it.
        Tensor n = Tensor.arange(24).reshape(2, 3, 4).narrow(2, 1, 2);
        Tensor m = n.reshape(2, 6);
        assertFalse(m.sharesStorageWith(n));
        exact(m, shape(2, 6), 1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22);
    }

    @Test
    void reshapeOfANonContiguousTensorIsAViewWhenStridesAllow() {
        // Splitting a dim of a transpose needs no copy.
        Tensor base = a34();
        Tensor tr = base.t(); // [4, 3] strides [1, 4]
        Tensor v = tr.reshape(2, 2, 3);
        assertTrue(v.sharesStorageWith(base));
        assertArrayEquals(new int[] {2, 1, 4}, TensorStorage.strides(v));
        assertEquals(tr.contiguous().reshape(2, 2, 3), v);
        // Every other element, regrouped.
        Tensor every2 = Tensor.arange(12).slice(0, 0, 12, 2);
        Tensor g = every2.view(2, 3);
        assertTrue(g.sharesStorageWith(every2));
        assertArrayEquals(new int[] {6, 2}, TensorStorage.strides(g));
        exact(g, shape(2, 3), 0, 2, 4, 6, 8, 10);
        // Adding and removing size-1 dims of a permuted tensor.
        Tensor p = Tensor.arange(24).reshape(2, 3, 4).permute(2, 0, 1);
        Tensor q = p.view(4, 1, 6);
        assertTrue(q.sharesStorageWith(p));
        assertEquals(p.contiguous().reshape(4, 1, 6), q);
        // view of a narrowed first dim: the remaining dims stay contiguous.
        Tensor rows = Tensor.arange(24).reshape(4, 6).narrow(0, 1, 2);
        Tensor rv = rows.view(12);
        assertTrue(rv.sharesStorageWith(rows));
        exact(rv, shape(12), 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
    }

    @Test
    void viewRefusesToCopy() {
        Tensor tr = Tensor.arange(6).reshape(2, 3).t();
        iae(() -> tr.view(6), "view: a tensor of shape [3, 2] and strides [1, 3] cannot be viewed as [6] without copying;"
                + " use reshape() or contiguous() first");
        exact(tr.contiguous().view(6), shape(6), 0, 3, 1, 4, 2, 5);
        iae(() -> tr.view(-1), "view:", "cannot be viewed as [6]");
    }

    @Test
    void reshapeErrors() {
        Tensor t = Tensor.zeros(2, 3);
        iae(() -> t.reshape(-1, -1), "reshape: only one dim may be -1 in [-1, -1]");
        iae(() -> t.reshape(-2, 6), "reshape: invalid dim -2 in [-2, 6]");
        iae(() -> t.reshape(5), "reshape: shape [5] (5 elements) does not match [2, 3] (6 elements)");
        iae(() -> t.reshape(-1, 4), "reshape: cannot infer -1 in [-1, 4] for 6 elements (shape [2, 3])");
        iae(() -> t.reshape(0, -1), "reshape: cannot infer -1 in [0, -1]");
        iae(() -> t.view(7), "view: shape [7] (7 elements) does not match [2, 3] (6 elements)");
        exact(Tensor.zeros(0, 3).reshape(3, 0, 5), shape(3, 0, 5));
        exact(Tensor.zeros(0, 3).reshape(-1, 3), shape(0, 3));
    }

    @Test
    void reshapeToAndFromZeroDims() {
        Tensor s = Tensor.scalar(4f);
        exact(s.reshape(1), shape(1), 4f);
        exact(s.reshape(1, 1), shape(1, 1), 4f);
        exact(s.reshape(-1), shape(1), 4f);
        exact(Tensor.ones(1, 1).reshape(), shape(), 1f);
        iae(() -> Tensor.ones(2).reshape(), "reshape: shape [] (1 elements) does not match [2] (2 elements)");
    }

    // ---------------------------------------------------------------------------------- transpose / permute

    @Test
    void transposeAndTAreViews() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        Tensor t = a.t();
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new int[] {1, 3}, TensorStorage.strides(t));
        assertTrue(t.sharesStorageWith(a));
        assertFalse(t.isContiguous());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(a.get(i, j), t.get(j, i));
            }
        }
        assertEquals(t, a.transpose(0, 1));
        assertEquals(t, a.transpose(-1, -2));
        assertEquals(a, a.transpose(1, 1));
        Tensor v = Tensor.arange(3);
        assertSame(v, v.t());
        Tensor s = Tensor.scalar(1f);
        assertSame(s, s.t());
        iae(() -> Tensor.zeros(2, 3, 4).t(),
                "t: expects a tensor of rank <= 2, got shape [2, 3, 4]; use transpose(dim0, dim1) or mT()");
        ioobe(() -> a.transpose(0, 2), "transpose: dim 2 is out of range for a tensor of rank 2");
        // A 0-d tensor takes dims 0 and -1 only, as PyTorch (any dim used to be accepted).
        assertSame(s, s.transpose(0, -1));
        ioobe(() -> s.transpose(0, 1), "transpose: dim 1 is out of range for a tensor of rank 0 (expected -1 <= dim < 1)");
    }

    @Test
    void mTSwapsTheLastTwoDims() {
        Tensor a = Tensor.arange(24).reshape(2, 3, 4);
        Tensor m = a.mT();
        assertArrayEquals(new int[] {2, 4, 3}, m.shape());
        assertArrayEquals(new int[] {12, 1, 4}, TensorStorage.strides(m));
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(a.get(b, i, j), m.get(b, j, i));
                }
            }
        }
        assertEquals(Tensor.arange(6).reshape(2, 3).t(), Tensor.arange(6).reshape(2, 3).mT());
        iae(() -> Tensor.zeros(3).mT(), "mT: expects a tensor of rank >= 2, got shape [3]");
    }

    @Test
    void permuteReordersDims() {
        Tensor a = Tensor.arange(24).reshape(2, 3, 4);
        Tensor p = a.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertArrayEquals(new int[] {1, 12, 4}, TensorStorage.strides(p));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(a.get(i, j, k), p.get(k, i, j));
                }
            }
        }
        assertEquals(p, a.permute(-1, 0, -2));
        assertEquals(a, p.permute(1, 2, 0));
        iae(() -> a.permute(0, 1), "permute: 2 dims given for a tensor of rank 3 (shape [2, 3, 4])");
        iae(() -> a.permute(0, 0, 1), "permute: dim 0 repeated in [0, 0, 1]");
        iae(() -> a.permute(0, -3, 1), "permute: dim -3 repeated in [0, -3, 1]");
        ioobe(() -> a.permute(0, 1, 3), "permute: dim 3 is out of range for a tensor of rank 3 (expected -3 <= dim < 3)");
        exact(Tensor.scalar(2f).permute(), shape(), 2f);
    }

    // ---------------------------------------------------------------------------------- narrow / slice / select

    @Test
    void narrowTakesARange() {
        Tensor a = a34();
        exact(a.narrow(1, 1, 2), shape(3, 2), 1, 2, 5, 6, 9, 10);
        exact(a.narrow(1, -2, 2), shape(3, 2), 2, 3, 6, 7, 10, 11);
        exact(a.narrow(0, 2, 1), shape(1, 4), 8, 9, 10, 11);
        exact(a.narrow(0, 3, 0), shape(0, 4));
        assertTrue(a.narrow(0, 1, 2).isContiguous());
        assertFalse(a.narrow(1, 1, 2).isContiguous());
        assertEquals(4, TensorStorage.offset(a.narrow(0, 1, 2)));
        assertTrue(a.narrow(1, 1, 2).sharesStorageWith(a));
        exact(a.narrow(1, 4, 0), shape(3, 0));
        exact(a.narrow(0, -3, 3), shape(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        ioobe(() -> a.narrow(1, 3, 2), "narrow: start 3 + length 2 is past the end of dim 1 (size 4) of shape [3, 4]");
        ioobe(() -> a.narrow(1, 0, -1), "narrow: length -1 is negative (dim 1 of shape [3, 4])");
        ioobe(() -> a.narrow(0, -4, 1),
                "narrow: start -4 is out of range for dim 0 (size 3) of shape [3, 4] (expected -3 <= start <= 3)");
        ioobe(() -> a.narrow(1, 5, 0), "narrow: start 5 is out of range for dim 1 (size 4) of shape [3, 4]");
        // start + length overflowed int and passed the check, giving a view of 2^31 - 1 elements over 12.
        ioobe(() -> a.narrow(1, 1, Integer.MAX_VALUE),
                "narrow: start 1 + length 2147483647 is past the end of dim 1 (size 4) of shape [3, 4]");
        ioobe(() -> a.narrow(2, 0, 1), "narrow: dim 2 is out of range for a tensor of rank 2");
        ioobe(() -> Tensor.scalar(1f).narrow(0, 0, 1), "narrow", "0-d");
    }

    @Test
    void sliceFollowsPython() {
        Tensor r = Tensor.arange(10);
        exact(r.slice(0, 1, 8, 3), shape(3), 1, 4, 7);       // r[1:8:3]
        exact(r.slice(0, -3, 10, 1), shape(3), 7, 8, 9);     // r[-3:]
        exact(r.slice(0, -100, 100, 4), shape(3), 0, 4, 8);  // r[-100:100:4]
        exact(r.slice(0, 0, -1, 2), shape(5), 0, 2, 4, 6, 8); // r[0:-1:2]
        exact(r.slice(0, 5, 2, 1), shape(0));                // r[5:2]
        exact(r.slice(0, 9, 10, 5), shape(1), 9);
        exact(r.slice(0, 10, 20, 1), shape(0));
        exact(r.slice(0, 2, 10, Integer.MAX_VALUE), shape(1), 2); // the length used to overflow to a negative size
        Tensor a = Tensor.arange(15).reshape(3, 5);
        Tensor s = a.slice(1, 0, 5, 2);
        exact(s, shape(3, 3), 0, 2, 4, 5, 7, 9, 10, 12, 14);
        assertArrayEquals(new int[] {5, 2}, TensorStorage.strides(s));
        exact(a.slice(0, 1, 3, 1).slice(1, -2, 5, 1), shape(2, 2), 8, 9, 13, 14);
        exact(a.slice(-1, 1, 5, 3), shape(3, 2), 1, 4, 6, 9, 11, 14);
        iae(() -> r.slice(0, 0, 5, 0), "slice: step must be positive, got 0");
        iae(() -> r.slice(0, 5, 0, -1), "slice: step must be positive, got -1");
        ioobe(() -> r.slice(1, 0, 5, 1), "slice: dim 1 is out of range for a tensor of rank 1");
        ioobe(() -> Tensor.scalar(1f).slice(0, 0, 1, 1), "slice", "0-d");
    }

    @Test
    void selectRemovesADim() {
        Tensor a = a34();
        exact(a.select(0, 1), shape(4), 4, 5, 6, 7);
        exact(a.select(1, -1), shape(3), 3, 7, 11);
        exact(a.select(0, 2).select(0, 1), shape(), 9);
        exact(Tensor.arange(24).reshape(2, 3, 4).select(1, 2), shape(2, 4), 8, 9, 10, 11, 20, 21, 22, 23);
        assertTrue(a.select(1, 0).sharesStorageWith(a));
        ioobe(() -> a.select(0, 3), "select: index 3 is out of range for dim 0 of size 3 (shape [3, 4])");
        ioobe(() -> a.select(1, -5), "select: index -5 is out of range for dim 1 of size 4 (shape [3, 4])");
        ioobe(() -> a.select(2, 0), "select: dim 2 is out of range");
        ioobe(() -> Tensor.scalar(1f).select(0, 0), "select", "0-d");
        ioobe(() -> Tensor.zeros(0, 2).select(0, 0), "select: index 0 is out of range for dim 0 of size 0");
    }

    // ---------------------------------------------------------------------------------- squeeze / unsqueeze

    @Test
    void squeezeAndUnsqueeze() {
        Tensor t = Tensor.arange(6).reshape(1, 3, 1, 2);
        exact(t.squeeze(), shape(3, 2), 0, 1, 2, 3, 4, 5);
        exact(t.squeeze(0), shape(3, 1, 2), 0, 1, 2, 3, 4, 5);
        assertArrayEquals(new int[] {1, 3, 1, 2}, t.squeeze(1).shape(), "a dim of size > 1 is left alone");
        assertArrayEquals(new int[] {1, 3, 2}, t.squeeze(-2).shape());
        assertTrue(t.squeeze().sharesStorageWith(t));
        exact(Tensor.ones(1, 1).squeeze(), shape(), 1f);
        Tensor s = Tensor.scalar(3f);
        assertSame(s, s.squeeze(0));
        assertSame(s, s.squeeze(-1));
        ioobe(() -> t.squeeze(4), "squeeze: dim 4 is out of range for a tensor of rank 4");
        ioobe(() -> s.squeeze(1), "squeeze: dim 1 is out of range");

        Tensor v = Tensor.arange(3);
        exact(v.unsqueeze(0), shape(1, 3), 0, 1, 2);
        exact(v.unsqueeze(1), shape(3, 1), 0, 1, 2);
        assertArrayEquals(new int[] {3, 1}, v.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 3}, v.unsqueeze(-2).shape());
        assertArrayEquals(new int[] {2, 1, 3}, Tensor.zeros(2, 3).unsqueeze(1).shape());
        // Strides as PyTorch gives them: torch.zeros(2, 3).unsqueeze(1).stride() == (3, 3, 1).
        assertArrayEquals(new int[] {3, 3, 1}, TensorStorage.strides(Tensor.zeros(2, 3).unsqueeze(1)));
        assertArrayEquals(new int[] {3, 1, 1}, TensorStorage.strides(Tensor.zeros(2, 3).unsqueeze(2)));
        exact(s.unsqueeze(0), shape(1), 3f);
        exact(s.unsqueeze(-1), shape(1), 3f);
        ioobe(() -> v.unsqueeze(2), "unsqueeze: dim 2 is out of range", "-2 <= dim < 2");
        ioobe(() -> v.unsqueeze(-3), "unsqueeze: dim -3 is out of range");
        // A write through an unsqueezed view of a transpose lands in the right place.
        Tensor a = Tensor.zeros(2, 3);
        a.t().unsqueeze(1).set(7f, 2, 0, 1);
        assertEquals(7f, a.get(1, 2));
    }

    // ---------------------------------------------------------------------------------- expand / broadcastTo

    @Test
    void expandBroadcastsWithoutCopying() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor e = col.expand(3, 4);
        exact(e, shape(3, 4), 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        assertArrayEquals(new int[] {1, 0}, TensorStorage.strides(e));
        assertTrue(e.sharesStorageWith(col));
        assertFalse(e.isContiguous());
        exact(col.expand(-1, 2), shape(3, 2), 1, 1, 2, 2, 3, 3);
        exact(col.expand(2, 3, 2), shape(2, 3, 2), 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3);
        exact(Tensor.scalar(5f).expand(2, 2), shape(2, 2), 5, 5, 5, 5);
        assertEquals(e, col.broadcastTo(3, 4));
        exact(Tensor.ones(1, 3).expand(0, 3), shape(0, 3));
        iae(() -> Tensor.arange(3).expand(4), "expand: cannot broadcast shape [3] to [4] (dim 0: 3 vs 4)");
        iae(() -> Tensor.zeros(2, 3).expand(3), "expand: cannot expand shape [2, 3] to [3] (fewer dims)");
        iae(() -> Tensor.ones(3).expand(-1, 3), "expand", "[-1, 3]");
        iae(() -> Tensor.ones(1).expand(-2), "expand", "[-2]");
    }

    // ---------------------------------------------------------------------------------- flatten / contiguous

    @Test
    void flattenRanges() {
        Tensor a = Tensor.arange(24).reshape(2, 3, 4);
        assertArrayEquals(new int[] {24}, a.flatten().shape());
        assertArrayEquals(new int[] {2, 12}, a.flatten(1, 2).shape());
        assertArrayEquals(new int[] {6, 4}, a.flatten(0, 1).shape());
        assertArrayEquals(new int[] {2, 12}, a.flatten(-2, -1).shape());
        assertArrayEquals(new int[] {2, 3, 4}, a.flatten(1, 1).shape());
        assertTrue(a.flatten(0, 1).sharesStorageWith(a));
        Tensor p = a.permute(0, 2, 1);
        Tensor f = p.flatten(1, 2);
        assertFalse(f.sharesStorageWith(a), "a permuted tensor's flatten must copy");
        assertEquals(p.contiguous().reshape(2, 12), f);
        exact(Tensor.scalar(3f).flatten(0, -1), shape(1), 3f);
        exact(Tensor.scalar(3f).flatten(), shape(1), 3f);
        ioobe(() -> Tensor.scalar(3f).flatten(0, 2), "flatten: dim 2 is out of range for a tensor of rank 0 (expected -1 <= dim < 1)");
        iae(() -> a.flatten(2, 1), "flatten: startDim 2 comes after endDim 1");
        ioobe(() -> a.flatten(0, 3), "flatten: dim 3 is out of range for a tensor of rank 3");
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor a = a34();
        assertSame(a, a.contiguous());
        Tensor rows = a.narrow(0, 1, 2);
        assertSame(rows, rows.contiguous(), "a narrowed first dim keeps the tensor contiguous");
        Tensor row = a.select(0, 1);
        assertSame(row, row.contiguous());
        Tensor t = a.t();
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertFalse(c.sharesStorageWith(a));
        exact(c, shape(4, 3), 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertArrayEquals(new int[] {3, 1}, TensorStorage.strides(c));
        assertTrue(Tensor.zeros(3, 1).expand(3, 1).isContiguous(), "size-1 dims do not affect contiguity");
        assertFalse(Tensor.zeros(3, 1).expand(3, 4).isContiguous());
        assertTrue(Tensor.zeros(4).unsqueeze(0).isContiguous());
        assertTrue(Tensor.arange(10).slice(0, 3, 4, 5).isContiguous(), "a single element is contiguous");
    }

    // ---------------------------------------------------------------------------------- writes through views

    @Test
    void writesThroughViewsReachTheBase() {
        Tensor base = Tensor.zeros(3, 4);
        base.t().set(5f, 1, 2);                                       // base[2][1]
        base.select(0, 1).fill(7f);                                   // row 1
        base.narrow(1, 2, 2).copyFrom(Tensor.of(new float[] {1, 2}));  // cols 2..3 of every row
        base.slice(1, 0, 4, 2).addInPlace(Tensor.ones(3, 2));          // cols 0 and 2 += 1
        base.reshape(12).set(-1f, 11);                                // base[2][3]
        base.unsqueeze(0).select(0, 0).select(1, 1).mulInPlace(10f);  // col 1 *= 10
        exact(base, shape(3, 4),
                1, 0, 2, 2,
                8, 70, 2, 2,
                1, 50, 2, -1);
    }

    @Test
    void versionCountsInPlaceWritesAcrossViews() {
        Tensor base = Tensor.zeros(2, 3);
        Tensor view = base.t();
        Tensor other = base.narrow(1, 0, 2);
        assertEquals(0, base.version());
        view.set(1f, 0, 0);
        assertEquals(1, base.version());
        assertEquals(1, other.version());
        other.fill(2f);
        assertEquals(2, view.version());
        base.copyFrom(Tensor.ones(3));
        assertEquals(3, view.version());
        view.addInPlace(Tensor.ones(3, 2));
        assertEquals(4, base.version());
        view.addInPlace(Tensor.ones(3, 2), 2f);
        assertEquals(5, base.version());
        other.mulInPlace(2f);
        assertEquals(6, base.version());
        other.mulInPlace(Tensor.ones(2));
        assertEquals(7, base.version());
        base.zero();
        assertEquals(8, base.version());
        TensorStorage.markWritten(base);
        assertEquals(9, other.version());
        // Reading operations and new tensors leave it alone.
        base.add(1f);
        base.sum();
        base.t().contiguous();
        base.reshape(6);
        base.softmax(-1);
        assertEquals(9, base.version());
        Tensor copy = base.copy();
        int cv = copy.version();
        copy.set(1f, 0, 0);
        assertEquals(cv + 1, copy.version());
        assertEquals(9, base.version(), "a copy has its own counter");
    }

    @Test
    void writesToAnExpandedViewAreRejected() {
        Tensor base = Tensor.ones(1, 3);
        Tensor e = base.expand(2, 3);
        String msg = "cannot write to an expanded view (stride 0 in [0, 1]); call contiguous() first";
        iae(() -> e.fill(2f), "fill: " + msg);
        iae(() -> e.zero(), "fill: " + msg);
        iae(() -> e.copyFrom(Tensor.zeros(3)), "copyFrom: " + msg);
        iae(() -> e.addInPlace(Tensor.ones(3)), "addInPlace: " + msg);
        iae(() -> e.addInPlace(Tensor.ones(3), 2f), "addInPlace: " + msg);
        iae(() -> e.mulInPlace(2f), "mulInPlace: " + msg);
        iae(() -> e.mulInPlace(Tensor.ones(3)), "mulInPlace: " + msg);
        iae(() -> e.set(9f, 0, 0), "set: " + msg);
        exact(base, shape(1, 3), 1, 1, 1);
        assertEquals(0, base.version());
        // After contiguous() the copy is writable and independent.
        Tensor c = e.contiguous();
        c.fill(4f);
        exact(base, shape(1, 3), 1, 1, 1);
        // A view that only looks expanded (stride 0 on a dim of size 1) aliases nothing and can be written.
        Tensor same = base.expand(1, 3);
        same.fill(3f);
        same.contiguous().addInPlace(Tensor.ones(3));
        exact(base, shape(1, 3), 4, 4, 4);
    }
}
