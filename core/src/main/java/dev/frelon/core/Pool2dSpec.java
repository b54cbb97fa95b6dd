package dev.frelon.core;

/**
 * Geometry of a 2-d pooling window: its size, stride, implicit padding and dilation per axis, as the arguments
 * of PyTorch's {@code MaxPool2d(kernel_size, stride=kernel_size, padding=0, dilation=1)}. Start from
 * {@link #of(int)} and change what differs:
 *
 * <pre>{@code
 * Pool2dSpec.of(2)                               // 2×2 windows, stride 2: halves H and W
 * Pool2dSpec.of(3).withStride(2).withPadding(1)  // ResNet's stem pooling
 * }</pre>
 *
 * Output size per axis: {@code (H + 2·pad − dil·(k − 1) − 1) / stride + 1}.
 *
 * @param kernelH window height, at least 1
 * @param kernelW window width, at least 1
 * @param strideH vertical step, at least 1
 * @param strideW horizontal step, at least 1
 * @param padH implicit rows above and below, at least 0 (at most kernelH/2, checked when pooling)
 * @param padW implicit columns left and right, at least 0
 * @param dilationH vertical spacing of the window's taps, at least 1
 * @param dilationW horizontal spacing of the window's taps, at least 1
 */
public record Pool2dSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH,
                         int dilationW) {

    /**
     * Creates a spec after checking every field. The bound of padding by half the window is checked only when
     * pooling, against the input.
     *
     * @param kernelH window height, at least 1
     * @param kernelW window width, at least 1
     * @param strideH vertical step, at least 1
     * @param strideW horizontal step, at least 1
     * @param padH implicit rows above and below, at least 0
     * @param padW implicit columns left and right, at least 0
     * @param dilationH vertical spacing of the window's taps, at least 1
     * @param dilationW horizontal spacing of the window's taps, at least 1
     * @throws IllegalArgumentException if a kernel size, stride or dilation is below 1, or a padding is negative
     */
    public Pool2dSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0 || dilationH < 1
                || dilationW < 1) {
            throw new IllegalArgumentException("Pool2dSpec: need kernel >= 1, stride >= 1, padding >= 0, dilation >= 1;"
                    + " got kernel (" + kernelH + ", " + kernelW + "), stride (" + strideH + ", " + strideW
                    + "), padding (" + padH + ", " + padW + "), dilation (" + dilationH + ", " + dilationW + ")");
        }
    }

    /**
     * Returns square {@code kernel × kernel} windows that do not overlap, as PyTorch's {@code MaxPool2d(kernel)}.
     *
     * @param kernel window size on both axes, at least 1
     * @return square windows with stride equal to their size, no padding, no dilation (PyTorch's defaults)
     * @throws IllegalArgumentException if {@code kernel} is below 1
     */
    public static Pool2dSpec of(int kernel) {
        return new Pool2dSpec(kernel, kernel, kernel, kernel, 0, 0, 1, 1);
    }

    /**
     * Returns {@code kernelH × kernelW} windows that do not overlap, as PyTorch's
     * {@code MaxPool2d((kernelH, kernelW))}.
     *
     * @param kernelH window height, at least 1
     * @param kernelW window width, at least 1
     * @return windows of that size with stride equal to it, no padding, no dilation
     * @throws IllegalArgumentException if {@code kernelH} or {@code kernelW} is below 1
     */
    public static Pool2dSpec of(int kernelH, int kernelW) {
        return new Pool2dSpec(kernelH, kernelW, kernelH, kernelW, 0, 0, 1, 1);
    }

    /**
     * Returns a copy of this spec with the same stride on both axes; window size, padding and dilation are kept.
     *
     * @param stride the step on both axes, at least 1
     * @return a copy with that stride
     * @throws IllegalArgumentException if {@code stride} is below 1
     */
    public Pool2dSpec withStride(int stride) {
        return withStride(stride, stride);
    }

    /**
     * Returns a copy of this spec with separate vertical and horizontal strides; window size, padding and
     * dilation are kept.
     *
     * @param h vertical step, at least 1
     * @param w horizontal step, at least 1
     * @return a copy with that stride
     * @throws IllegalArgumentException if {@code h} or {@code w} is below 1
     */
    public Pool2dSpec withStride(int h, int w) {
        return new Pool2dSpec(kernelH, kernelW, h, w, padH, padW, dilationH, dilationW);
    }

    /**
     * Returns a copy of this spec with the same implicit padding on both axes; window size, stride and dilation
     * are kept. Pooling later requires the padding to be at most half the window size.
     *
     * @param padding implicit padding on both axes, at least 0
     * @return a copy with that padding
     * @throws IllegalArgumentException if {@code padding} is negative
     */
    public Pool2dSpec withPadding(int padding) {
        return withPadding(padding, padding);
    }

    /**
     * Returns a copy of this spec with separate vertical and horizontal implicit padding; window size, stride and
     * dilation are kept. Pooling later requires each padding to be at most half the window size on its axis.
     *
     * @param h rows above and below, at least 0
     * @param w columns left and right, at least 0
     * @return a copy with that padding
     * @throws IllegalArgumentException if {@code h} or {@code w} is negative
     */
    public Pool2dSpec withPadding(int h, int w) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, h, w, dilationH, dilationW);
    }

    /**
     * Returns a copy of this spec with the same dilation on both axes, so that a window of size k spans
     * {@code dilation·(k − 1) + 1} input positions; window size, stride and padding are kept. Only max pooling
     * supports a dilation other than 1.
     *
     * @param dilation spacing of the taps on both axes, at least 1
     * @return a copy with that dilation
     * @throws IllegalArgumentException if {@code dilation} is below 1
     */
    public Pool2dSpec withDilation(int dilation) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, padH, padW, dilation, dilation);
    }

    @Override
    public String toString() {
        return "kernel=(" + kernelH + ", " + kernelW + "), stride=(" + strideH + ", " + strideW + "), padding=("
                + padH + ", " + padW + "), dilation=(" + dilationH + ", " + dilationW + ")";
    }
}
