package dev.frelon.autodiff;

import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Convolution;
import dev.frelon.core.Tensor;
import dev.frelon.core.TransposedConvolution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transposed convolution and upsampling: PyTorch's values, the adjoint identity, gradient checks. */
class GenerativeOpsTest {

    private static final Tensor SQUARE = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);

    private static double dot(Tensor a, Tensor b) {
        float[] x = a.toArray(), y = b.toArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    @Test
    void transposedConvolutionMatchesPyTorchByHand() {
        // F.conv_transpose2d([[1,2],[3,4]], ones(1,1,2,2)) = [[1,3,2],[4,10,6],[3,7,4]]
        Tensor y = TransposedConvolution.forward(SQUARE, Tensor.ones(1, 1, 2, 2), null, Conv2dSpec.DEFAULT, 0, 0);
        assertArrayEquals(new float[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, y.toArray(), 0f);
        // Stride 2 spreads each pixel over its own 2×2 block; a bias of 0.5 is added everywhere.
        Tensor s = TransposedConvolution.forward(SQUARE, Tensor.ones(1, 1, 2, 2), Tensor.of(new float[] {0.5f}),
                Conv2dSpec.DEFAULT.withStride(2), 0, 0);
        assertArrayEquals(new float[] {1.5f, 1.5f, 2.5f, 2.5f, 1.5f, 1.5f, 2.5f, 2.5f, 3.5f, 3.5f, 4.5f, 4.5f,
            3.5f, 3.5f, 4.5f, 4.5f}, s.toArray(), 0f);
        // DCGAN's 4×4, stride 2, padding 1 doubles the size; output padding adds one row and column.
        assertArrayEquals(new int[] {2, 3, 8, 8}, TransposedConvolution.outputShape(new int[] {2, 8, 4, 4},
                new int[] {8, 3, 4, 4}, Conv2dSpec.DEFAULT.withStride(2).withPadding(1), 0, 0));
        assertArrayEquals(new int[] {1, 6, 8, 8}, TransposedConvolution.outputShape(new int[] {1, 4, 4, 4},
                new int[] {4, 3, 3, 3}, Conv2dSpec.DEFAULT.withStride(2).withPadding(1).withGroups(2), 1, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> TransposedConvolution.outputShape(new int[] {1, 4, 4, 4},
                new int[] {4, 3, 3, 3}, Conv2dSpec.DEFAULT.withStride(2), 2, 0));
        assertTrue(e.getMessage().startsWith("convTranspose2d: output padding (2, 0) must be at least 0 and less than the stride (2, 2)"), e.getMessage());
    }

    @Test
    void transposedConvolutionIsTheAdjointOfConvolution() {
        // <conv(x, W), y> = <x, convT(y, W)> for every geometry.
        Conv2dSpec[] specs = {Conv2dSpec.DEFAULT, Conv2dSpec.DEFAULT.withStride(2).withPadding(1),
            Conv2dSpec.DEFAULT.withDilation(2).withPadding(2), Conv2dSpec.DEFAULT.withStride(2).withGroups(2)};
        for (int k = 0; k < specs.length; k++) {
            Conv2dSpec spec = specs[k];
            Tensor x = Tensor.randn(new int[] {2, 4, 9, 7}, 10 + k), w = Tensor.randn(new int[] {6, 4 / spec.groups(), 3, 3}, 20 + k);
            Tensor cx = Convolution.conv2d(x, w, null, spec);
            Tensor y = Tensor.randn(cx.shape(), 30 + k);
            int outPad = spec.strideH() == 2 ? (9 + 2 * spec.padH() - 3) % 2 : 0;
            int outPadW = spec.strideW() == 2 ? (7 + 2 * spec.padW() - spec.dilationW() * 2 - 1) % 2 : 0;
            Tensor ty = TransposedConvolution.forward(y, w, null, spec, outPad, outPadW);
            assertArrayEquals(x.shape(), ty.shape(), "spec " + k);
            assertEquals(dot(cx, y), dot(x, ty), 1e-3 * Math.abs(dot(cx, y)) + 1e-3, "spec " + k);
        }
    }

    @Test
    void transposedConvolutionGradients() {
        Conv2dSpec spec = Conv2dSpec.DEFAULT.withStride(2).withPadding(1);
        var r = GradCheck.check(v -> NeuralOps.convTranspose2d(v[0], v[1], v[2], spec, 1, 0),
                Tensor.randn(new int[] {2, 4, 3, 3}, 1), Tensor.randn(new int[] {4, 3, 3, 3}, 2), Tensor.randn(new int[] {3}, 3));
        assertTrue(r.passed(), r.toString());
        // A 1×1 input (noise to a k×k map) takes a matrix-product path: the same values and gradients.
        Tensor z = Tensor.randn(new int[] {3, 5, 1, 1}, 21), wz = Tensor.randn(new int[] {5, 4, 3, 3}, 22);
        Tensor viaConv = dev.frelon.core.Convolution.conv2dBackwardInput(z, wz, new int[] {3, 4, 3, 3}, Conv2dSpec.DEFAULT);
        Tensor direct = TransposedConvolution.forward(z, wz, null, Conv2dSpec.DEFAULT, 0, 0);
        float[] a1 = viaConv.toArray(), a2 = direct.toArray();
        for (int i = 0; i < a1.length; i++) {
            assertEquals(a1[i], a2[i], 1e-5f);
        }
        var point = GradCheck.check(v -> NeuralOps.convTranspose2d(v[0], v[1], v[2], Conv2dSpec.DEFAULT, 0, 0), z, wz,
                Tensor.randn(new int[] {4}, 23));
        assertTrue(point.passed(), point.toString());
        var grouped = GradCheck.check(v -> NeuralOps.convTranspose2d(v[0], v[1], null, spec.withGroups(2), 0, 0),
                Tensor.randn(new int[] {1, 4, 3, 3}, 4), Tensor.randn(new int[] {4, 1, 3, 3}, 5));
        assertTrue(grouped.passed(), grouped.toString());
    }

    @Test
    void upsamplingMatchesPyTorch() {
        Variable x = Variable.of(SQUARE);
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                NeuralOps.upsample(x, 4, 4, false, false).data().toArray(), 0f);
        // F.interpolate(x, scale_factor=2, mode='bilinear', align_corners=False)
        assertArrayEquals(new float[] {1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f,
            3, 3.25f, 3.75f, 4}, NeuralOps.upsample(x, 4, 4, true, false).data().toArray(), 1e-6f);
        // ... align_corners=True: the corners coincide, the rest in thirds.
        float t = 1f / 3;
        assertArrayEquals(new float[] {1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 2, 2 + t, 2 + 2 * t, 2 + t, 2 + 2 * t, 3,
            3 + t, 3, 3 + t, 3 + 2 * t, 4}, NeuralOps.upsample(x, 4, 4, true, true).data().toArray(), 1e-6f);
        // Nearest to 5 columns from 2: source columns floor(j·2/5) = 0, 0, 0, 1, 1.
        assertArrayEquals(new float[] {1, 1, 1, 2, 2}, NeuralOps.upsample(x, 2, 5, false, false).data().select(2, 0)
                .reshape(5).toArray(), 0f);
    }

    @Test
    void upsamplingGradients() {
        for (boolean bilinear : new boolean[] {false, true}) {
            for (boolean corners : bilinear ? new boolean[] {false, true} : new boolean[] {false}) {
                var r = GradCheck.check(v -> NeuralOps.upsample(v[0], 5, 7, bilinear, corners),
                        Tensor.randn(new int[] {2, 2, 3, 4}, 6));
                assertTrue(r.passed(), bilinear + " " + corners + ": " + r);
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> NeuralOps.upsample(Variable.of(Tensor.ones(2, 2)), 4, 4,
                false, false));
        assertEquals("upsample nearest: input must be [N, C, H, W], got [2, 2]", e.getMessage());
    }
}
