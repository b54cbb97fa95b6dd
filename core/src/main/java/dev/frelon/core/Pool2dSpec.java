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

    /** Checks every field. */
    public Pool2dSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0 || dilationH < 1
                || dilationW < 1) {
            throw new IllegalArgumentException("Pool2dSpec: need kernel >= 1, stride >= 1, padding >= 0, dilation >= 1;"
                    + " got kernel (" + kernelH + ", " + kernelW + "), stride (" + strideH + ", " + strideW
                    + "), padding (" + padH + ", " + padW + "), dilation (" + dilationH + ", " + dilationW + ")");
        }
    }

    /**
     * @param kernel window size on both axes
     * @return square windows with stride equal to their size, no padding, no dilation (PyTorch's defaults)
     */
    public static Pool2dSpec of(int kernel) {
        return new Pool2dSpec(kernel, kernel, kernel, kernel, 0, 0, 1, 1);
    }

    /**
     * @param kernelH window height
     * @param kernelW window width
     * @return windows of that size with stride equal to it, no padding, no dilation
     */
    public static Pool2dSpec of(int kernelH, int kernelW) {
        return new Pool2dSpec(kernelH, kernelW, kernelH, kernelW, 0, 0, 1, 1);
    }

    /** @param stride the step on both axes @return a copy with that stride */
    public Pool2dSpec withStride(int stride) {
        return withStride(stride, stride);
    }

    /** @param h vertical step @param w horizontal step @return a copy with that stride */
    public Pool2dSpec withStride(int h, int w) {
        return new Pool2dSpec(kernelH, kernelW, h, w, padH, padW, dilationH, dilationW);
    }

    /** @param padding implicit padding on both axes @return a copy with that padding */
    public Pool2dSpec withPadding(int padding) {
        return withPadding(padding, padding);
    }

    /** @param h rows above and below @param w columns left and right @return a copy with that padding */
    public Pool2dSpec withPadding(int h, int w) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, h, w, dilationH, dilationW);
    }

    /** @param dilation spacing of the taps on both axes @return a copy with that dilation */
    public Pool2dSpec withDilation(int dilation) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, padH, padW, dilation, dilation);
    }

    @Override
    public String toString() {
        return "kernel=(" + kernelH + ", " + kernelW + "), stride=(" + strideH + ", " + strideW + "), padding=("
                + padH + ", " + padW + "), dilation=(" + dilationH + ", " + dilationW + ")";
    }
}
