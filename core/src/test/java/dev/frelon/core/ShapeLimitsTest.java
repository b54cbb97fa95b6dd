package dev.frelon.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shapes past one tensor's limit, and degenerate geometry, are refused with a message, never computed wrong. */
class ShapeLimitsTest {

    private static void refused(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    @Test
    void anExpandedViewPastTheLimitIsRefusedInsteadOfSummingToZero() {
        // 65,536² = 2^32 elements: numel() used to overflow to 0, and sum() returned 0.
        refused(() -> Tensor.ones(1, 1).expand(65536, 65536), "expand", "[65536, 65536]", "limit of one tensor");
        refused(() -> Tensor.ones(1).broadcastTo(46341, 46341), "expand", "[46341, 46341]");
        Tensor ok = Tensor.ones(1, 1).expand(46340, 46340);         // 2,147,395,600 elements: a view may have them
        assertArrayEquals(new int[] {46340, 46340}, ok.shape());
    }

    @Test
    void aZeroDimAnywhereGivesNoElementsWhateverTheOtherDims() {
        // The product was checked as it went, so [2^31 - 1, 1, 4, 0] was refused before its 0 came up.
        int big = Integer.MAX_VALUE;
        assertArrayEquals(new int[] {big, 1, 4, 0}, Tensor.zeros(big, 1, 4, 0).shape());
        assertArrayEquals(new int[] {big, 1, 4, 0}, Tensor.zeros(0).reshape(big, 1, 4, 0).expand(big, 1, 4, 0).shape());
        refused(() -> Tensor.zeros(big, 4, -1, 0), "zeros: negative dimension in shape [2147483647, 4, -1, 0]");
    }

    @Test
    void resultsPastTheLimitNameTheirOp() {
        // They used to report the zeros() that allocates the result.
        Tensor col = Tensor.ones(1 << 16, 1), row = Tensor.ones(1, 1 << 16);
        refused(() -> col.add(row), "add: shape [65536, 65536] has more than 2147483639 elements");
        refused(() -> col.ge(row), "ge: shape [65536, 65536]");
        refused(() -> Tensor.where(col.ne(0f), col, row), "where: shape [65536, 65536]");
        refused(() -> col.matmul(row), "matmul: shape [65536, 65536]");
    }

    @Test
    void rangesPastTheLimitAreRefusedBeforeAllocating() {
        refused(() -> Tensor.arange(0f, 1e10f, 1f), "arange", "more than 2147483639", "limit of one tensor");
        refused(() -> Tensor.linspace(0f, 1f, Integer.MAX_VALUE), "linspace", "2147483647 steps");
        refused(() -> Tensor.zeros(1 << 16, 1 << 16), "zeros", "limit of one tensor");
    }

    @Test
    void convolutionAndPoolingGeometryIsCheckedInLongArithmetic() {
        Tensor x = Tensor.ones(1, 1, 4, 4), w = Tensor.ones(1, 1, 3, 3);
        refused(() -> Convolution.conv2d(x, w, null, Conv2dSpec.DEFAULT.withPadding(1 << 30)), "conv2d", "padding (1073741824");
        refused(() -> Convolution.conv2d(x, Tensor.ones(1, 1, 0, 3), null, Conv2dSpec.DEFAULT),
                "conv2d: the kernel must be at least 1×1, got weight [1, 1, 0, 3]");
        refused(() -> Pooling.maxPool2d(Tensor.ones(1, 1, 1 << 20, 1 << 20), Pool2dSpec.of(1)), "limit of one tensor");
    }
}
