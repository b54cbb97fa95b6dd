package dev.frelon.core;

/**
 * Geometry of a 2-d convolution: stride, zero padding and dilation per axis, and the number of channel groups,
 * as the arguments of PyTorch's {@code F.conv2d}. Start from {@link #DEFAULT} (or {@link #of}) and change what
 * differs; pooling windows have their own {@link Pool2dSpec}.
 *
 * <pre>{@code
 * Conv2dSpec.DEFAULT.withPadding(1)                   // 3×3 "same" convolution
 * Conv2dSpec.DEFAULT.withStride(2).withPadding(3)     // ResNet's 7×7 stem
 * Conv2dSpec.DEFAULT.withGroups(32)                   // a depthwise convolution over 32 channels
 * }</pre>
 *
 * @param strideH vertical stride, at least 1
 * @param strideW horizontal stride, at least 1
 * @param padH zero rows added above and below, at least 0
 * @param padW zero columns added left and right, at least 0
 * @param dilationH vertical spacing of kernel taps, at least 1
 * @param dilationW horizontal spacing of kernel taps, at least 1
 * @param groups number of channel groups, at least 1
 */
public record Conv2dSpec(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    /** Checks every field. */
    public Conv2dSpec {
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0 || dilationH < 1 || dilationW < 1 || groups < 1) {
            throw new IllegalArgumentException("Conv2dSpec: need stride >= 1, padding >= 0, dilation >= 1, groups >= 1; got "
                    + "stride (" + strideH + ", " + strideW + "), padding (" + padH + ", " + padW + "), dilation ("
                    + dilationH + ", " + dilationW + "), groups " + groups);
        }
    }

    /** Stride 1, no padding, no dilation, one group: PyTorch's defaults. */
    public static final Conv2dSpec DEFAULT = new Conv2dSpec(1, 1, 0, 0, 1, 1, 1);

    /**
     * @param stride stride on both axes
     * @param padding padding on both axes
     * @return a spec with dilation 1 and one group
     */
    public static Conv2dSpec of(int stride, int padding) {
        return new Conv2dSpec(stride, stride, padding, padding, 1, 1, 1);
    }

    /** @param stride the step on both axes @return a copy with that stride */
    public Conv2dSpec withStride(int stride) {
        return withStride(stride, stride);
    }

    /** @param h vertical step @param w horizontal step @return a copy with that stride */
    public Conv2dSpec withStride(int h, int w) {
        return new Conv2dSpec(h, w, padH, padW, dilationH, dilationW, groups);
    }

    /** @param padding zero padding on both axes @return a copy with that padding */
    public Conv2dSpec withPadding(int padding) {
        return withPadding(padding, padding);
    }

    /** @param h zero rows above and below @param w zero columns left and right @return a copy with that padding */
    public Conv2dSpec withPadding(int h, int w) {
        return new Conv2dSpec(strideH, strideW, h, w, dilationH, dilationW, groups);
    }

    /** @param dilation spacing of the kernel taps on both axes @return a copy with that dilation */
    public Conv2dSpec withDilation(int dilation) {
        return new Conv2dSpec(strideH, strideW, padH, padW, dilation, dilation, groups);
    }

    /** @param g channel groups (input and output channels must both divide by it) @return a copy with g groups */
    public Conv2dSpec withGroups(int g) {
        return new Conv2dSpec(strideH, strideW, padH, padW, dilationH, dilationW, g);
    }

    /** Output size along one axis. */
    static int outSize(String op, int in, int k, int stride, int pad, int dil) {
        long span = (long) dil * (k - 1) + 1;
        long padded = in + 2L * pad;
        if (padded < span) {
            throw new IllegalArgumentException(op + ": input size " + in + " with padding " + pad
                    + " is smaller than the kernel extent " + span);
        }
        return (int) ((padded - span) / stride + 1);
    }
}
