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

    /**
     * Creates a spec after checking every field.
     *
     * @param strideH vertical stride, at least 1
     * @param strideW horizontal stride, at least 1
     * @param padH zero rows added above and below, at least 0
     * @param padW zero columns added left and right, at least 0
     * @param dilationH vertical spacing of kernel taps, at least 1
     * @param dilationW horizontal spacing of kernel taps, at least 1
     * @param groups number of channel groups, at least 1
     * @throws IllegalArgumentException if a stride, dilation or the group count is below 1, or a padding is negative
     */
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
     * Returns a spec with the same stride and zero padding on both axes, no dilation and one group, as PyTorch's
     * {@code F.conv2d(x, w, stride=stride, padding=padding)}.
     *
     * @param stride stride on both axes
     * @param padding padding on both axes
     * @return a spec with dilation 1 and one group
     * @throws IllegalArgumentException if {@code stride} is below 1 or {@code padding} is negative
     */
    public static Conv2dSpec of(int stride, int padding) {
        return new Conv2dSpec(stride, stride, padding, padding, 1, 1, 1);
    }

    /**
     * Returns a copy of this spec with the same stride on both axes; padding, dilation and groups are kept.
     *
     * @param stride the step on both axes, at least 1
     * @return a copy with that stride
     * @throws IllegalArgumentException if {@code stride} is below 1
     */
    public Conv2dSpec withStride(int stride) {
        return withStride(stride, stride);
    }

    /**
     * Returns a copy of this spec with separate vertical and horizontal strides; padding, dilation and groups are
     * kept.
     *
     * @param h vertical step, at least 1
     * @param w horizontal step, at least 1
     * @return a copy with that stride
     * @throws IllegalArgumentException if {@code h} or {@code w} is below 1
     */
    public Conv2dSpec withStride(int h, int w) {
        return new Conv2dSpec(h, w, padH, padW, dilationH, dilationW, groups);
    }

    /**
     * Returns a copy of this spec with the same zero padding on both axes; stride, dilation and groups are kept.
     *
     * @param padding zero padding on both axes, at least 0
     * @return a copy with that padding
     * @throws IllegalArgumentException if {@code padding} is negative
     */
    public Conv2dSpec withPadding(int padding) {
        return withPadding(padding, padding);
    }

    /**
     * Returns a copy of this spec with separate vertical and horizontal zero padding; stride, dilation and groups
     * are kept.
     *
     * @param h zero rows above and below, at least 0
     * @param w zero columns left and right, at least 0
     * @return a copy with that padding
     * @throws IllegalArgumentException if {@code h} or {@code w} is negative
     */
    public Conv2dSpec withPadding(int h, int w) {
        return new Conv2dSpec(strideH, strideW, h, w, dilationH, dilationW, groups);
    }

    /**
     * Returns a copy of this spec with the same dilation on both axes, so that a kernel of size k spans
     * {@code dilation·(k − 1) + 1} input positions; stride, padding and groups are kept.
     *
     * @param dilation spacing of the kernel taps on both axes, at least 1
     * @return a copy with that dilation
     * @throws IllegalArgumentException if {@code dilation} is below 1
     */
    public Conv2dSpec withDilation(int dilation) {
        return new Conv2dSpec(strideH, strideW, padH, padW, dilation, dilation, groups);
    }

    /**
     * Returns a copy of this spec with {@code g} channel groups: each group of {@code C/g} input channels feeds
     * its own {@code OC/g} output channels. Stride, padding and dilation are kept. Whether the channel counts
     * divide by {@code g} is checked when the convolution runs.
     *
     * @param g channel groups (input and output channels must both divide by it), at least 1
     * @return a copy with g groups
     * @throws IllegalArgumentException if {@code g} is below 1
     */
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
        return Shape.count(op, (double) ((padded - span) / stride + 1), "an input size " + in + " with padding " + pad);
    }
}
