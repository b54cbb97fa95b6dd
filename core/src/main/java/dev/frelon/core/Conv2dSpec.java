package dev.frelon.core;

/**
 * Geometry of a 2-d convolution or pooling window: stride, zero padding and dilation per axis, and the
 * number of groups (convolution only).
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

    /**
     * @param stride stride on both axes
     * @param padding padding on both axes
     * @return a spec with dilation 1 and one group
     */
    public static Conv2dSpec of(int stride, int padding) {
        return new Conv2dSpec(stride, stride, padding, padding, 1, 1, 1);
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
