package dev.frelon.core;

import org.junit.jupiter.api.Test;

import static dev.frelon.core.Check.iae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** toString, allClose, equals and hashCode. */
class TensorFormatTest {

    @Test
    void integersPrintLikePyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2])", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor([1., 2., 3.], shape=[3])", Tensor.of(new float[] {1, 2, 3}).toString());
        assertEquals("tensor([-1.,  2., 10.], shape=[3])", Tensor.of(new float[] {-1, 2, 10}).toString());
        assertEquals("tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]], shape=[2, 2, 2])",
                Tensor.arange(8).reshape(2, 2, 2).toString());
        assertEquals("tensor([[0., 2.],\n        [1., 3.]], shape=[2, 2])", Tensor.arange(4).reshape(2, 2).t().toString());
    }

    @Test
    void floatsPrintWithFourDecimals() {
        assertEquals("tensor([ 1.5000, -0.2500,  3.1416], shape=[3])", Tensor.of(new float[] {1.5f, -0.25f, 3.14159f}).toString());
        assertEquals("tensor([[0.1000, 0.2000]], shape=[1, 2])", Tensor.of(new float[] {0.1f, 0.2f}, 1, 2).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+00], shape=[2])", Tensor.of(new float[] {1e-5f, 1f}).toString());
        assertEquals("tensor([1.0000e+08, 2.5000e+00], shape=[2])", Tensor.of(new float[] {1e8f, 2.5f}).toString());
        assertEquals("tensor([ 1., nan, inf], shape=[3])", Tensor.of(new float[] {1, Float.NaN, Float.POSITIVE_INFINITY}).toString());
        assertEquals("tensor([0.5000,    nan,   -inf], shape=[3])",
                Tensor.of(new float[] {0.5f, Float.NaN, Float.NEGATIVE_INFINITY}).toString());
    }

    @Test
    void zeroDimAndEmpty() {
        assertEquals("tensor(3.)", Tensor.scalar(3f).toString());
        assertEquals("tensor(0.5000)", Tensor.scalar(0.5f).toString());
        assertEquals("tensor(-2.)", Tensor.scalar(-2f).toString());
        assertEquals("tensor([], shape=[0])", Tensor.zeros(0).toString());
        assertEquals("tensor([], shape=[2, 0])", Tensor.zeros(2, 0).toString());
    }

    @Test
    void largeTensorsAreSummarised() {
        String expected = """
                tensor([[   0.,    1.,    2., ...,   97.,   98.,   99.],
                        [ 100.,  101.,  102., ...,  197.,  198.,  199.],
                        [ 200.,  201.,  202., ...,  297.,  298.,  299.],
                        ...,
                        [9700., 9701., 9702., ..., 9797., 9798., 9799.],
                        [9800., 9801., 9802., ..., 9897., 9898., 9899.],
                        [9900., 9901., 9902., ..., 9997., 9998., 9999.]], shape=[100, 100])""";
        assertEquals(expected, Tensor.arange(10000).reshape(100, 100).toString());
        assertEquals("tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=[2000])", Tensor.arange(2000).toString());
        // Exactly 1000 elements are printed in full; one more are summarised.
        assertFalse(Tensor.arange(1000).toString().contains("..."));
        assertTrue(Tensor.arange(1001).toString().contains("..."));
        // Only dims longer than 6 are cut.
        String s = Tensor.zeros(2, 600).toString();
        assertTrue(s.startsWith("tensor([[0., 0., 0., ..., 0., 0., 0.],\n        [0., 0., 0., ..., 0., 0., 0.]]"), s);
        // A transposed summary shows the transposed values.
        String t = Tensor.arange(10000).reshape(100, 100).t().toString();
        assertTrue(t.startsWith("tensor([[   0.,  100.,  200., ..., 9700., 9800., 9900.],\n        [   1.,  101.,"), t);
    }

    @Test
    void allCloseUsesRelativeAndAbsoluteTolerances() {
        Tensor a = Tensor.of(new float[] {1f, 2f});
        Tensor b = Tensor.of(new float[] {1.0001f, 2f});
        assertTrue(a.allClose(b, 1e-3f, 0f));
        assertFalse(a.allClose(b, 1e-5f, 0f));
        assertTrue(a.allClose(b, 0f, 1e-3f));
        assertFalse(a.allClose(b, 0f, 1e-5f));
        assertTrue(a.allClose(a, 0f, 0f));
        // |a - b| <= atol + rtol * |b|: b is the reference, so the test is not symmetric.
        Tensor x = Tensor.of(new float[] {100f}), y = Tensor.of(new float[] {110f});
        assertTrue(x.allClose(y, 0.095f, 0f));
        assertFalse(y.allClose(x, 0.095f, 0f));
        // Both tolerances add up.
        assertTrue(x.allClose(y, 0.05f, 4.6f));
        assertFalse(x.allClose(y, 0.05f, 4.4f));
        // NaN is never close; equal infinities are.
        Tensor nan = Tensor.of(new float[] {Float.NaN});
        assertFalse(nan.allClose(nan, 1f, 1f));
        Tensor inf = Tensor.of(new float[] {Float.POSITIVE_INFINITY});
        assertTrue(inf.allClose(inf, 0f, 0f));
        assertFalse(inf.allClose(inf.neg(), 1f, 1f));
        assertFalse(inf.allClose(Tensor.of(new float[] {1e30f}), 1f, 1f));
        // A finite value is not close to an infinity, however large rtol (|1 - inf| <= rtol * inf is no test).
        assertFalse(Tensor.of(new float[] {1f}).allClose(inf, 1e-5f, 0f));
        assertFalse(Tensor.of(new float[] {1f, 2f}).allClose(Tensor.of(new float[] {1f, Float.NEGATIVE_INFINITY}), 0.5f, 0f));
        // Huge finite values of opposite sign do not overflow the comparison.
        assertTrue(Tensor.of(new float[] {3e38f}).allClose(Tensor.of(new float[] {-3e38f}), 3f, 0f));
        assertFalse(Tensor.of(new float[] {3e38f}).allClose(Tensor.of(new float[] {-3e38f}), 1f, 0f));
        // Broadcasting.
        assertTrue(Tensor.ones(2, 2).allClose(Tensor.scalar(1f), 0f, 0f));
        assertFalse(Tensor.of(new float[] {1, 2}, 2, 1).allClose(Tensor.of(new float[] {1, 1}), 0f, 0.5f));
        assertTrue(Tensor.arange(6).reshape(2, 3).t().allClose(Tensor.arange(6).reshape(2, 3).t().contiguous(), 0f, 0f));
        iae(() -> Tensor.zeros(2).allClose(Tensor.zeros(3), 0f, 0f), "allClose: shapes [2] and [3] cannot be broadcast");
    }

    @Test
    void equalsComparesShapeAndValues() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertEquals(a, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertEquals(a.hashCode(), Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).hashCode());
        assertNotEquals(a, Tensor.of(new float[] {1, 2, 3, 4}), "shape matters");
        assertNotEquals(a, Tensor.of(new float[] {1, 2, 3, 5}, 2, 2));
        assertNotEquals(a, a.t());
        // A view equals its dense copy.
        assertEquals(a.t(), a.t().contiguous());
        assertEquals(a.t().hashCode(), a.t().contiguous().hashCode());
        assertEquals(Tensor.ones(1, 3).expand(2, 3), Tensor.ones(2, 3));
        // NaN equals NaN; 0.0 and -0.0 differ.
        Tensor n1 = Tensor.of(new float[] {Float.NaN, 1}), n2 = Tensor.of(new float[] {Float.intBitsToFloat(0x7fc00001), 1});
        assertEquals(n1, n2);
        assertEquals(n1.hashCode(), n2.hashCode());
        assertNotEquals(Tensor.of(new float[] {0f}), Tensor.of(new float[] {-0f}));
        // Rank 0, empty tensors, other types.
        assertNotEquals(Tensor.scalar(1f), Tensor.of(new float[] {1f}));
        assertEquals(Tensor.scalar(1f), Tensor.ones());
        Tensor empty = Tensor.zeros(0), otherEmpty = Tensor.of(new float[0], 0);
        assertEquals(empty, otherEmpty, "two distinct empty tensors of one shape are equal");
        assertNotEquals(Tensor.zeros(0), Tensor.zeros(0, 3));
        assertNotEquals(Tensor.zeros(2, 0), Tensor.zeros(0, 2));
        assertFalse(a.equals(null));
        assertFalse(a.equals("tensor"));
        assertTrue(a.equals(a));
    }
}
