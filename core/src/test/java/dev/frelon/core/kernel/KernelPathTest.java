package dev.frelon.core.kernel;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which kernel path the provider picks. Surefire runs this class twice: with the incubator module (the
 * Vector API path is expected) and without it ({@code -Dfrelon.expect.path=plain}).
 */
class KernelPathTest {

    private static boolean expectPlain() {
        return "plain".equals(System.getProperty("frelon.expect.path"));
    }

    @Test
    void providerChoosesThePathTheJvmAllows() {
        if (expectPlain()) {
            assertFalse(Kernels.vectorModulePresent(), "this run must not have jdk.incubator.vector");
            assertFalse(Kernels.isVectorized());
            assertEquals(0, Kernels.vectorBits());
            assertTrue(Kernels.description().startsWith("plain Java"), Kernels.description());
            assertTrue(ElementwiseKernels.CHOSEN instanceof ScalarElementwise);
            assertTrue(GemmKernel.CHOSEN instanceof ScalarGemm);
            assertTrue(SoftmaxKernels.CHOSEN instanceof ScalarSoftmax);
            assertTrue(PoolingKernels.CHOSEN instanceof ScalarPooling);
            assertTrue(ReductionKernels.CHOSEN instanceof ScalarReduction);
            assertTrue(ConvolutionKernels.CHOSEN instanceof ScalarConvolution);
        } else {
            assertTrue(Kernels.vectorModulePresent(), "tests run with " + Kernels.ENABLE_FLAG);
            assertTrue(Kernels.isVectorized(), Kernels.description());
            assertTrue(Kernels.vectorBits() >= 128, Kernels.description());
            // Families whose vector kernels run on every instruction set take them whenever the path is available.
            assertFalse(GemmKernel.CHOSEN instanceof ScalarGemm);
            assertFalse(ConvolutionKernels.CHOSEN instanceof ScalarConvolution);
            assertFalse(ReductionKernels.CHOSEN instanceof ScalarReduction);
            assertFalse(ElementwiseKernels.CHOSEN instanceof ScalarElementwise);
            // Softmax needs a hardware FMA, pooling needs AVX on x86 (Isa): elsewhere they run plain.
            assertEquals(!Isa.current().fma(), SoftmaxKernels.CHOSEN instanceof ScalarSoftmax, Isa.current().describe());
            assertEquals(Isa.current().sseOnly(), PoolingKernels.CHOSEN instanceof ScalarPooling, Isa.current().describe());
        }
    }

    @Test
    void computesCorrectlyOnWhicheverPath() {
        Tensor a = Tensor.arange(40).reshape(5, 8);
        Tensor b = Tensor.arange(8).reshape(8, 1);
        // Row i of a is 8i .. 8i+7; its dot with 0..7 is 8i*28 + 140.
        float[] got = a.matmul(b).toArray();
        assertArrayEquals(new float[] {140, 364, 588, 812, 1036}, got, 0f);
        assertEquals(780f, Tensor.arange(40).sum().item(), 0f);
        assertArrayEquals(new float[] {0, 0, 2}, Tensor.of(new float[] {-1, 0, 2}).relu().toArray(), 0f);
    }

    @Test
    void rejectsAnUnknownWidth() {
        String old = System.getProperty("frelon.vector.bits");
        try {
            System.setProperty("frelon.vector.bits", "100");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    Kernels::requestedBits);
            assertTrue(e.getMessage().contains("0, 128, 256 or 512"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("frelon.vector.bits");
            } else {
                System.setProperty("frelon.vector.bits", old);
            }
        }
    }
}
