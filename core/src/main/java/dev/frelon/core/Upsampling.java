package dev.frelon.core;

import dev.frelon.core.kernel.Parallel;

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

    /** The input row (or column) each output row reads, for nearest: {@code floor(i·in/out)}. */
    private static int[] nearestIndex(int in, int out) {
        int[] idx = new int[out];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            idx[i] = Math.min((int) Math.floor(i * scale), in - 1);
        }
        return idx;
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
        int[] os = check("upsample nearest", x.shape, oh, ow);
        Tensor in = x.contiguous(), out = Tensor.zeros(os);
        int h = x.shape[2], w = x.shape[3];
        int[] rows = nearestIndex(h, oh), cols = nearestIndex(w, ow);
        Parallel.forRange(0, os[0] * os[1], 8, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int src = in.offset + p * h * w, dst = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r = src + rows[i] * w;
                    for (int j = 0; j < ow; j++) {
                        out.data[dst + i * ow + j] = in.data[r + cols[j]];
                    }
                }
            }
        });
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
        int[] os = check("upsample nearest backward", inputShape, gy.dim() == 4 ? gy.shape[2] : 0, gy.dim() == 4 ? gy.shape[3] : 0);
        checkGrad("upsample nearest backward", gy, os);
        Tensor g = gy.contiguous(), dx = Tensor.zeros(inputShape);
        int h = inputShape[2], w = inputShape[3], oh = os[2], ow = os[3];
        int[] rows = nearestIndex(h, oh), cols = nearestIndex(w, ow);
        Parallel.forRange(0, os[0] * os[1], 8, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int src = g.offset + p * oh * ow, dst = p * h * w;
                for (int i = 0; i < oh; i++) {
                    int r = dst + rows[i] * w;
                    for (int j = 0; j < ow; j++) {
                        dx.data[r + cols[j]] += g.data[src + i * ow + j];
                    }
                }
            }
        });
        return dx;
    }

    private static void checkGrad(String op, Tensor gy, int[] expected) {
        if (!java.util.Arrays.equals(gy.shape, expected)) {
            throw new IllegalArgumentException(op + ": gradient has shape " + Shape.str(gy.shape) + ", expected "
                    + Shape.str(expected));
        }
    }

    /**
     * Where output rows read the input for bilinear resizing: for output i, the lower source row {@code lo[i]},
     * the upper {@code hi[i]} and the weight {@code t[i]} of the upper one.
     */
    private record Taps(int[] lo, int[] hi, float[] t) {
        static Taps of(int in, int out, boolean alignCorners) {
            int[] lo = new int[out], hi = new int[out];
            float[] t = new float[out];
            for (int i = 0; i < out; i++) {
                double s;
                if (alignCorners) {
                    s = out == 1 ? 0 : i * (double) (in - 1) / (out - 1);
                } else {
                    s = Math.max(0, (i + 0.5) * in / out - 0.5);
                }
                int l = Math.min((int) Math.floor(s), in - 1);
                lo[i] = l;
                hi[i] = Math.min(l + 1, in - 1);
                t[i] = (float) (s - l);
            }
            return new Taps(lo, hi, t);
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
        int[] os = check("upsample bilinear", x.shape, oh, ow);
        Tensor in = x.contiguous(), out = Tensor.zeros(os);
        int h = x.shape[2], w = x.shape[3];
        Taps ry = Taps.of(h, oh, alignCorners), rx = Taps.of(w, ow, alignCorners);
        Parallel.forRange(0, os[0] * os[1], 8, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int src = in.offset + p * h * w, dst = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = src + ry.lo()[i] * w, r1 = src + ry.hi()[i] * w;
                    float ty = ry.t()[i];
                    for (int j = 0; j < ow; j++) {
                        int c0 = rx.lo()[j], c1 = rx.hi()[j];
                        float tx = rx.t()[j];
                        float top = in.data[r0 + c0] * (1 - tx) + in.data[r0 + c1] * tx;
                        float bottom = in.data[r1 + c0] * (1 - tx) + in.data[r1 + c1] * tx;
                        out.data[dst + i * ow + j] = top * (1 - ty) + bottom * ty;
                    }
                }
            }
        });
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
        int[] os = check("upsample bilinear backward", inputShape, gy.dim() == 4 ? gy.shape[2] : 0, gy.dim() == 4 ? gy.shape[3] : 0);
        checkGrad("upsample bilinear backward", gy, os);
        Tensor g = gy.contiguous(), dx = Tensor.zeros(inputShape);
        int h = inputShape[2], w = inputShape[3], oh = os[2], ow = os[3];
        Taps ry = Taps.of(h, oh, alignCorners), rx = Taps.of(w, ow, alignCorners);
        Parallel.forRange(0, os[0] * os[1], 8, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int src = g.offset + p * oh * ow, dst = p * h * w;
                for (int i = 0; i < oh; i++) {
                    int r0 = dst + ry.lo()[i] * w, r1 = dst + ry.hi()[i] * w;
                    float ty = ry.t()[i];
                    for (int j = 0; j < ow; j++) {
                        int c0 = rx.lo()[j], c1 = rx.hi()[j];
                        float tx = rx.t()[j], v = g.data[src + i * ow + j];
                        dx.data[r0 + c0] += v * (1 - ty) * (1 - tx);
                        dx.data[r0 + c1] += v * (1 - ty) * tx;
                        dx.data[r1 + c0] += v * ty * (1 - tx);
                        dx.data[r1 + c1] += v * ty * tx;
                    }
                }
            }
        });
        return dx;
    }
}
