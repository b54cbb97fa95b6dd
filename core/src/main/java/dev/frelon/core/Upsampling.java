package dev.frelon.core;

import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.UpsamplingKernels;
import dev.frelon.core.kernel.UpsamplingKernels.Taps;

/**
 * Resizing {@code [N, C, H, W]} images to {@code [N, C, OH, OW]}, with PyTorch's {@code F.interpolate}
 * semantics, and the gradients. Planes run in parallel on the shared pool.
 *
 * <ul>
 *   <li><b>nearest</b>: output pixel {@code (i, j)} copies input {@code (floor(i·H/OH), floor(j·W/OW))}.</li>
 *   <li><b>bilinear</b>: output pixel {@code i} reads the input at {@code s = (i + ½)·H/OH − ½} (clamped at 0) with
 *   {@code alignCorners = false}, or at {@code s = i·(H − 1)/(OH − 1)} with {@code alignCorners = true} (the corner
 *   pixels of input and output then coincide), and mixes the two nearest rows and columns linearly.</li>
 * </ul>
 *
 * <p>The index tables, the weights and the loops are {@link UpsamplingKernels}' (SIMD where the Vector API is
 * available). Bilinear blends are fused multiply-adds where the hardware has an FMA, so results can
 * differ in the last bit between machines with and without one.
 */
public final class Upsampling {
    private Upsampling() {
    }

    private static int[] check(String op, int[] x, int oh, int ow) {
        if (x.length != 4) {
            throw new IllegalArgumentException(op + ": input must be [N, C, H, W], got " + Shape.str(x));
        }
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": output size must be at least 1×1, got " + oh + "×" + ow);
        }
        if (x[2] < 1 || x[3] < 1) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(x) + " has no pixels to resize");
        }
        return new int[] {x[0], x[1], oh, ow};
    }

    /**
     * Planes per parallel chunk: enough that a chunk moves at least {@code 2^15} floats, so that small images do
     * not pay a thread hand-off per plane. It depends only on the shapes, and planes are independent, so the bits
     * never depend on the split.
     */
    private static int grain(int inPlane, int outPlane) {
        return Math.max(1, (1 << 15) / Math.max(1, inPlane + outPlane));
    }

    /**
     * Nearest-neighbour resizing.
     *
     * @param x {@code [N, C, H, W]}
     * @param oh output height
     * @param ow output width
     * @return {@code [N, C, oh, ow]}, a new tensor
     */
    public static Tensor nearest(Tensor x, int oh, int ow) {
        Elements.requireFloat32("upsampleNearest", x);
        int[] os = check("upsample nearest", x.shape, oh, ow);
        Tensor in = x.contiguous(), out = Tensor.zeros(os);
        int h = x.shape[2], w = x.shape[3];
        int[] rows = UpsamplingKernels.nearestIndex(h, oh), cols = UpsamplingKernels.nearestIndex(w, ow);
        UpsamplingKernels k = UpsamplingKernels.CHOSEN;
        Parallel.forRange(0, os[0] * os[1], grain(h * w, oh * ow),
                (lo, hi) -> k.nearest(in.data, in.offset, h, w, rows, cols, out.data, lo, hi));
        return out;
    }

    /**
     * The gradient of {@link #nearest}: each output gradient is added to the input pixel it copied.
     *
     * @param gy {@code [N, C, OH, OW]}
     * @param inputShape {@code [N, C, H, W]}
     * @return {@code [N, C, H, W]}
     */
    public static Tensor nearestBackward(Tensor gy, int[] inputShape) {
        Elements.requireFloat32("upsampleNearestBackward", gy);
        int[] os = check("upsample nearest backward", inputShape, gy.dim() == 4 ? gy.shape[2] : 0, gy.dim() == 4 ? gy.shape[3] : 0);
        checkGrad("upsample nearest backward", gy, os);
        Tensor g = gy.contiguous(), dx = Tensor.zeros(inputShape);
        int h = inputShape[2], w = inputShape[3], oh = os[2], ow = os[3];
        int[] rows = UpsamplingKernels.nearestIndex(h, oh), cols = UpsamplingKernels.nearestIndex(w, ow);
        UpsamplingKernels k = UpsamplingKernels.CHOSEN;
        Parallel.forRange(0, os[0] * os[1], grain(h * w, oh * ow),
                (lo, hi) -> k.nearestBackward(g.data, g.offset, h, w, rows, cols, dx.data, lo, hi));
        return dx;
    }

    private static void checkGrad(String op, Tensor gy, int[] expected) {
        if (!java.util.Arrays.equals(gy.shape, expected)) {
            throw new IllegalArgumentException(op + ": gradient has shape " + Shape.str(gy.shape) + ", expected "
                    + Shape.str(expected));
        }
    }

    /**
     * Bilinear resizing.
     *
     * @param x {@code [N, C, H, W]}
     * @param oh output height
     * @param ow output width
     * @param alignCorners PyTorch's {@code align_corners}
     * @return {@code [N, C, oh, ow]}, a new tensor
     */
    public static Tensor bilinear(Tensor x, int oh, int ow, boolean alignCorners) {
        Elements.requireFloat32("upsampleBilinear", x);
        int[] os = check("upsample bilinear", x.shape, oh, ow);
        Tensor in = x.contiguous(), out = Tensor.zeros(os);
        int h = x.shape[2], w = x.shape[3];
        Taps ry = Taps.of(h, oh, alignCorners), rx = Taps.of(w, ow, alignCorners);
        UpsamplingKernels k = UpsamplingKernels.CHOSEN;
        Parallel.forRange(0, os[0] * os[1], grain(h * w, oh * ow),
                (lo, hi) -> k.bilinear(in.data, in.offset, h, w, ry, rx, out.data, lo, hi));
        return out;
    }

    /**
     * The gradient of {@link #bilinear}: each output gradient is shared among its four source pixels with the
     * same weights.
     *
     * @param gy {@code [N, C, OH, OW]}
     * @param inputShape {@code [N, C, H, W]}
     * @param alignCorners as in the forward
     * @return {@code [N, C, H, W]}
     */
    public static Tensor bilinearBackward(Tensor gy, int[] inputShape, boolean alignCorners) {
        Elements.requireFloat32("upsampleBilinearBackward", gy);
        int[] os = check("upsample bilinear backward", inputShape, gy.dim() == 4 ? gy.shape[2] : 0, gy.dim() == 4 ? gy.shape[3] : 0);
        checkGrad("upsample bilinear backward", gy, os);
        Tensor g = gy.contiguous(), dx = Tensor.zeros(inputShape);
        int h = inputShape[2], w = inputShape[3], oh = os[2], ow = os[3];
        Taps ry = Taps.of(h, oh, alignCorners), rx = Taps.of(w, ow, alignCorners);
        UpsamplingKernels k = UpsamplingKernels.CHOSEN;
        Parallel.forRange(0, os[0] * os[1], grain(h * w, oh * ow),
                (lo, hi) -> k.bilinearBackward(g.data, g.offset, h, w, ry, rx, dx.data, lo, hi));
        return dx;
    }
}
