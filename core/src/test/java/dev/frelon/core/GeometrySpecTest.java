package dev.frelon.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The geometry records read as PyTorch's arguments: defaults, then what differs. */
class GeometrySpecTest {

    @Test
    void convolutionGeometryStartsFromPyTorchsDefaults() {
        assertEquals(new Conv2dSpec(1, 1, 0, 0, 1, 1, 1), Conv2dSpec.DEFAULT);
        assertEquals(new Conv2dSpec(2, 2, 3, 3, 1, 1, 1), Conv2dSpec.DEFAULT.withStride(2).withPadding(3));
        assertEquals(new Conv2dSpec(1, 2, 0, 1, 2, 2, 4), Conv2dSpec.DEFAULT.withStride(1, 2).withPadding(0, 1)
                .withDilation(2).withGroups(4));
        assertEquals(Conv2dSpec.of(2, 1), Conv2dSpec.DEFAULT.withStride(2).withPadding(1));
        var e = assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.DEFAULT.withGroups(0));
        assertTrue(e.getMessage().endsWith("groups 0"), e.getMessage());
    }

    @Test
    void poolingGeometryHasNoGroupsAndStridesByItsWindow() {
        assertEquals(new Pool2dSpec(2, 2, 2, 2, 0, 0, 1, 1), Pool2dSpec.of(2));
        assertEquals(new Pool2dSpec(3, 2, 3, 2, 0, 0, 1, 1), Pool2dSpec.of(3, 2));
        assertEquals(new Pool2dSpec(3, 3, 2, 2, 1, 1, 1, 1), Pool2dSpec.of(3).withStride(2).withPadding(1));
        assertEquals(new Pool2dSpec(2, 2, 1, 3, 0, 1, 2, 2), Pool2dSpec.of(2).withStride(1, 3).withPadding(0, 1).withDilation(2));
        assertEquals("kernel=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1)", Pool2dSpec.of(2).toString());
        var e = assertThrows(IllegalArgumentException.class, () -> Pool2dSpec.of(2).withStride(0));
        assertEquals("Pool2dSpec: need kernel >= 1, stride >= 1, padding >= 0, dilation >= 1; got kernel (2, 2),"
                + " stride (0, 0), padding (0, 0), dilation (1, 1)", e.getMessage());
        // A 3×3 window with stride 2 and padding 1 turns 7 into 4, as PyTorch's formula gives.
        Tensor y = Pooling.avgPool2d(Tensor.ones(1, 1, 7, 7), Pool2dSpec.of(3).withStride(2).withPadding(1));
        assertEquals(4, y.size(2));
        assertEquals(4f / 9f, y.get(0, 0, 0, 0), 1e-7f);
    }
}
