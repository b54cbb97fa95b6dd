package dev.frelon.core;

import dev.frelon.core.kernel.Kernels;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.PoolingKernels;

import java.util.Arrays;

/**
 * 2-d max and average pooling over {@code [N, C, H, W]} inputs, with their gradients. Padding is implicit:
 * max pooling ignores padded positions, average pooling counts them as zeros (PyTorch's default
 * {@code count_include_pad=True}). Output size per axis: {@code (H + 2·pad − dil·(k−1) − 1) / stride + 1}.
 * Planes run in parallel on the shared pool.
 */
public final class Pooling {

    private Pooling() {
    }

    /**
     * The output of max pooling and, for its gradient, the input position each output value came from.
     *
     * @param output {@code [N, C, OH, OW]}
     * @param argmax per output value, the flat index into its input plane ({@code h·W + w}), or -1 when its window
     *        held only padding (which a dilated window can)
     */
    public record MaxPoolResult(Tensor output, int[] argmax) {
    }

    private static int[] check(String op, Tensor x, Pool2dSpec s) {
        return check(op, x.shape, s);
    }

    private static int[] check(String op, int[] shape, Pool2dSpec s) {
        int kh = s.kernelH(), kw = s.kernelW();
        checkInput(op, shape);
        if (s.padH() * 2 > kh || s.padW() * 2 > kw) {
            throw new IllegalArgumentException(op + ": padding (" + s.padH() + ", " + s.padW()
                    + ") must be at most half the kernel size (" + kh + ", " + kw + ")");
        }
        int oh = Conv2dSpec.outSize(op, shape[2], kh, s.strideH(), s.padH(), s.dilationH());
        int ow = Conv2dSpec.outSize(op, shape[3], kw, s.strideW(), s.padW(), s.dilationW());
        return new int[] {oh, ow};
    }

    /**
     * Checks that a pooling input is {@code [N, C, H, W]} with C, H and W at least 1, as PyTorch: only the batch may
     * be empty (an empty plane would leave windows with nothing to pool).
     */
    private static void checkInput(String op, int[] shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException(op + ": input must be [N, C, H, W], got " + Shape.str(shape));
        }
        if (shape[0] < 0 || shape[1] < 1 || shape[2] < 1 || shape[3] < 1) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(shape)
                    + " has an empty or negative dim; C, H and W must be at least 1 (only the batch N may be 0)");
        }
    }

    /** The common 2×2, stride 2, unpadded, undilated window, which has branch-free kernels. */
    private static boolean isPlain2x2(Pool2dSpec s) {
        int kh = s.kernelH(), kw = s.kernelW();
        return kh == 2 && kw == 2 && s.strideH() == 2 && s.strideW() == 2 && s.padH() == 0 && s.padW() == 0
                && s.dilationH() == 1 && s.dilationW() == 1;
    }

    /**
     * Max pooling: each output value is the largest input value in its window, padded positions excluded, as
     * PyTorch's {@code F.max_pool2d(..., return_indices=True)}. The input is not modified.
     *
     * @param input {@code [N, C, H, W]}
     * @param spec window size, stride, padding and dilation
     * @return the pooled values {@code [N, C, OH, OW]} and the positions they came from
     * @throws IllegalArgumentException if the input is not 4-d, a padding exceeds half the window size, or the
     *         padded input is smaller than the dilated window
     */
    public static MaxPoolResult maxPool2d(Tensor input, Pool2dSpec spec) {
        Elements.requireFloat32("maxPool2d", input);
        int kh = spec.kernelH(), kw = spec.kernelW();
        int[] o = check("maxPool2d", input, spec);
        Tensor x = input.contiguous();
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], oh = o[0], ow = o[1];
        Tensor out = Tensor.zeros(n, c, oh, ow);
        int[] arg = new int[n * c * oh * ow];
        if (isPlain2x2(spec)) {
            PoolingKernels k = PoolingKernels.CHOSEN;
            Parallel.forRange(0, n * c, 16, (lo, hi) -> k.maxPool2x2(x.data, x.offset, h, w, oh, ow, out.data, arg, lo, hi));
            return new MaxPoolResult(out, arg);
        }
        Parallel.forRange(0, n * c, 4, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int in = x.offset + p * h * w, ob = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bi = -1;
                        for (int a = 0; a < kh; a++) {
                            int ii = i * spec.strideH() - spec.padH() + a * spec.dilationH();
                            if (ii < 0 || ii >= h) {
                                continue;
                            }
                            for (int b = 0; b < kw; b++) {
                                int jj = j * spec.strideW() - spec.padW() + b * spec.dilationW();
                                if (jj < 0 || jj >= w) {
                                    continue;
                                }
                                float v = x.data[in + ii * w + jj];
                                if (v > best || bi < 0 || Float.isNaN(v)) {
                                    best = v;
                                    bi = ii * w + jj;
                                    if (Float.isNaN(v)) {
                                        a = kh;
                                        break;
                                    }
                                }
                            }
                        }
                        out.data[ob + i * ow + j] = best;
                        arg[ob + i * ow + j] = bi;
                    }
                }
            }
        });
        return new MaxPoolResult(out, arg);
    }

    /**
     * Gradient of max pooling: each output gradient goes to the input position its value came from.
     *
     * @param gradOutput {@code [N, C, OH, OW]}
     * @param argmax the positions from {@link #maxPool2d}
     * @param inputShape {@code [N, C, H, W]}
     * @return {@code [N, C, H, W]}
     */
    public static Tensor maxPool2dBackward(Tensor gradOutput, int[] argmax, int[] inputShape) {
        Elements.requireFloat32("maxPool2dBackward", gradOutput);
        if (inputShape.length != 4 || gradOutput.dim() != 4 || gradOutput.shape[0] != inputShape[0]
                || gradOutput.shape[1] != inputShape[1] || gradOutput.numel() != argmax.length) {
            throw new IllegalArgumentException("maxPool2dBackward: gradOutput " + Shape.str(gradOutput.shape)
                    + " does not match input " + Shape.str(inputShape) + " and " + argmax.length + " saved positions");
        }
        checkInput("maxPool2dBackward", inputShape);
        int hw = inputShape[2] * inputShape[3], ohw = gradOutput.shape[2] * gradOutput.shape[3];
        for (int i = 0; i < argmax.length; i++) {
            if (argmax[i] < -1 || argmax[i] >= hw) { // -1: a window that held only padding (a dilated one can)
                throw new IndexOutOfBoundsException("maxPool2dBackward: saved position " + argmax[i] + " at " + i
                        + " is outside an input plane of " + hw + " elements (input " + Shape.str(inputShape) + ")");
            }
        }
        Tensor dy = gradOutput.contiguous();
        Tensor dx = Tensor.zeros(inputShape);
        Parallel.forRange(0, inputShape[0] * inputShape[1], 4, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < ohw; i++) {
                    int a = argmax[p * ohw + i];
                    if (a >= 0) {
                        dx.data[p * hw + a] += dy.data[dy.offset + p * ohw + i];
                    }
                }
            }
        });
        return dx;
    }

    /**
     * Average pooling; padded positions count as zeros in the average.
     *
     * @param input {@code [N, C, H, W]}
     * @param spec window size, stride and padding (dilation must be 1)
     * @return {@code [N, C, OH, OW]}
     */
    public static Tensor avgPool2d(Tensor input, Pool2dSpec spec) {
        Elements.requireFloat32("avgPool2d", input);
        int kh = spec.kernelH(), kw = spec.kernelW();
        checkNoDilation("avgPool2d", spec);
        int[] o = check("avgPool2d", input, spec);
        Tensor x = input.contiguous();
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], oh = o[0], ow = o[1];
        Tensor out = Tensor.zeros(n, c, oh, ow);
        if (isPlain2x2(spec)) {
            Parallel.forRange(0, n * c, 16, (lo, hi) -> avgPool2x2(x.data, x.offset, h, w, oh, ow, out.data, lo, hi));
            return out;
        }
        float inv = 1f / (kh * kw);
        Parallel.forRange(0, n * c, 4, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int in = x.offset + p * h * w, ob = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float s = 0;
                        for (int a = 0; a < kh; a++) {
                            int ii = i * spec.strideH() - spec.padH() + a;
                            if (ii < 0 || ii >= h) {
                                continue;
                            }
                            for (int b = 0; b < kw; b++) {
                                int jj = j * spec.strideW() - spec.padW() + b;
                                if (jj >= 0 && jj < w) {
                                    s += x.data[in + ii * w + jj];
                                }
                            }
                        }
                        out.data[ob + i * ow + j] = s * inv;
                    }
                }
            }
        });
        return out;
    }

    /**
     * Gradient of {@link #avgPool2d}.
     *
     * @param gradOutput {@code [N, C, OH, OW]}
     * @param inputShape {@code [N, C, H, W]}
     * @param spec the forward's spec
     * @return {@code [N, C, H, W]}
     */
    public static Tensor avgPool2dBackward(Tensor gradOutput, int[] inputShape, Pool2dSpec spec) {
        Elements.requireFloat32("avgPool2dBackward", gradOutput);
        int kh = spec.kernelH(), kw = spec.kernelW();
        checkNoDilation("avgPool2dBackward", spec);
        int[] o = check("avgPool2dBackward", inputShape, spec);
        int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3], oh = o[0], ow = o[1];
        int[] expected = {n, c, oh, ow};
        if (!Arrays.equals(gradOutput.shape, expected)) {
            throw new IllegalArgumentException("avgPool2dBackward: gradOutput has shape " + Shape.str(gradOutput.shape)
                    + ", expected " + Shape.str(expected));
        }
        Tensor dy = gradOutput.contiguous();
        Tensor dx = Tensor.zeros(inputShape);
        if (isPlain2x2(spec)) {
            Parallel.forRange(0, n * c, 16, (lo, hi) -> avgPool2x2Backward(dy.data, dy.offset, h, w, oh, ow, dx.data, lo, hi));
            return dx;
        }
        float inv = 1f / (kh * kw);
        Parallel.forRange(0, n * c, 4, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int in = p * h * w, ob = dy.offset + p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float g = dy.data[ob + i * ow + j] * inv;
                        for (int a = 0; a < kh; a++) {
                            int ii = i * spec.strideH() - spec.padH() + a;
                            if (ii < 0 || ii >= h) {
                                continue;
                            }
                            for (int b = 0; b < kw; b++) {
                                int jj = j * spec.strideW() - spec.padW() + b;
                                if (jj >= 0 && jj < w) {
                                    dx.data[in + ii * w + jj] += g;
                                }
                            }
                        }
                    }
                }
            }
        });
        return dx;
    }

    /**
     * Average pooling for the 2×2, stride 2, unpadded window over planes {@code [lo, hi)}: four reads, three
     * adds and one exact multiply per output, no bounds tests. An odd last row or column is in no window.
     * The sum runs in the general loop's order, so both paths give the same bits.
     */
    private static void avgPool2x2(float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int lo, int hi) {
        for (int p = lo; p < hi; p++) {
            int in = xOff + p * h * w, ob = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = in + 2 * i * w, r1 = r0 + w, o = ob + i * ow;
                for (int j = 0; j < ow; j++) {
                    int q = 2 * j;
                    out[o + j] = (((x[r0 + q] + x[r0 + q + 1]) + x[r1 + q]) + x[r1 + q + 1]) * 0.25f;
                }
            }
        }
    }

    /**
     * Gradient of {@link #avgPool2x2}: the windows do not overlap, so each input position receives exactly one
     * quarter of one output gradient; plain stores, no accumulation. {@code dx} arrives zeroed, which covers an
     * odd last row or column.
     */
    private static void avgPool2x2Backward(float[] dy, int dyOff, int h, int w, int oh, int ow, float[] dx,
                                           int lo, int hi) {
        for (int p = lo; p < hi; p++) {
            int g = dyOff + p * oh * ow, in = p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = in + 2 * i * w, r1 = r0 + w, o = g + i * ow;
                for (int j = 0; j < ow; j++) {
                    float v = dy[o + j] * 0.25f;
                    int q = 2 * j;
                    dx[r0 + q] = v;
                    dx[r0 + q + 1] = v;
                    dx[r1 + q] = v;
                    dx[r1 + q + 1] = v;
                }
            }
        }
    }

    private static void checkNoDilation(String op, Pool2dSpec s) {
        if (s.dilationH() != 1 || s.dilationW() != 1) {
            throw new IllegalArgumentException(op + ": dilation is not supported, got (" + s.dilationH() + ", "
                    + s.dilationW() + ")");
        }
    }

    /**
     * Adaptive average pooling to a fixed output size: output cell (i, j) averages input rows
     * {@code floor(i·H/OH) .. ceil((i+1)·H/OH)-1} and the matching columns, as PyTorch.
     *
     * @param input {@code [N, C, H, W]}
     * @param oh output height, at least 1
     * @param ow output width, at least 1
     * @return {@code [N, C, OH, OW]}
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int oh, int ow) {
        Elements.requireFloat32("adaptiveAvgPool2d", input);
        if (input.dim() != 4 || oh < 1 || ow < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: needs a [N, C, H, W] input and a positive output size,"
                    + " got " + Shape.str(input.shape) + " -> (" + oh + ", " + ow + ")");
        }
        checkInput("adaptiveAvgPool2d", input.shape);
        Tensor x = input.contiguous();
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        Tensor out = Tensor.zeros(n, c, oh, ow);
        for (int p = 0; p < n * c; p++) {
            int in = x.offset + p * h * w;
            for (int i = 0; i < oh; i++) {
                int h0 = i * h / oh, h1 = -Math.floorDiv(-(i + 1) * h, oh);
                for (int j = 0; j < ow; j++) {
                    int w0 = j * w / ow, w1 = -Math.floorDiv(-(j + 1) * w, ow);
                    float s = 0;
                    for (int a = h0; a < h1; a++) {
                        for (int b = w0; b < w1; b++) {
                            s += x.data[in + a * w + b];
                        }
                    }
                    out.data[(p * oh + i) * ow + j] = s / ((h1 - h0) * (w1 - w0));
                }
            }
        }
        return out;
    }

    /**
     * Gradient of {@link #adaptiveAvgPool2d}.
     *
     * @param gradOutput {@code [N, C, OH, OW]}
     * @param inputShape {@code [N, C, H, W]}
     * @return {@code [N, C, H, W]}
     */
    public static Tensor adaptiveAvgPool2dBackward(Tensor gradOutput, int[] inputShape) {
        Elements.requireFloat32("adaptiveAvgPool2dBackward", gradOutput);
        if (gradOutput.dim() != 4 || inputShape.length != 4 || gradOutput.shape[0] != inputShape[0]
                || gradOutput.shape[1] != inputShape[1]) {
            throw new IllegalArgumentException("adaptiveAvgPool2dBackward: gradOutput " + Shape.str(gradOutput.shape)
                    + " does not match input " + Shape.str(inputShape));
        }
        checkInput("adaptiveAvgPool2dBackward", inputShape);
        Tensor dy = gradOutput.contiguous();
        int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3];
        int oh = dy.shape[2], ow = dy.shape[3];
        Tensor dx = Tensor.zeros(inputShape);
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                int h0 = i * h / oh, h1 = -Math.floorDiv(-(i + 1) * h, oh);
                for (int j = 0; j < ow; j++) {
                    int w0 = j * w / ow, w1 = -Math.floorDiv(-(j + 1) * w, ow);
                    float g = dy.data[dy.offset + (p * oh + i) * ow + j] / ((h1 - h0) * (w1 - w0));
                    for (int a = h0; a < h1; a++) {
                        for (int b = w0; b < w1; b++) {
                            dx.data[p * h * w + a * w + b] += g;
                        }
                    }
                }
            }
        }
        return dx;
    }
}
