package dev.frelon.core;

/**
 * 2-d transposed convolution (PyTorch's {@code conv_transpose2d}, sometimes called deconvolution): the adjoint of
 * {@link Convolution#conv2d} with the same weight, so it maps a convolution's output shape back to its input shape
 * and is how generators grow images. It reuses the convolution's kernels:
 *
 * <pre>
 *   convTranspose2d(x, W)        = conv2dBackwardInput(x, W, outputShape)      x: [N, Cin, H, W]
 *   ∂/∂x (given dY)              = conv2d(dY, W)                              W: [Cin, Cout/groups, KH, KW]
 *   ∂/∂W (given dY)              = conv2dBackwardWeight(x, dY, W.shape)        (PyTorch's weight layout)
 *   OH = (H − 1)·stride − 2·padding + dilation·(KH − 1) + outputPadding + 1
 * </pre>
 *
 * {@code outputPadding} (less than the stride or the dilation) adds rows and columns at the bottom and right, to
 * choose among the output sizes that a strided convolution maps to the same input size.
 */
public final class TransposedConvolution {
    private TransposedConvolution() {
    }

    /**
     * The output shape, checked.
     *
     * @param x the input shape {@code [N, Cin, H, W]}
     * @param weight the weight shape {@code [Cin, Cout/groups, KH, KW]}
     * @param spec stride, padding, dilation, groups
     * @param outPadH extra rows at the bottom, in [0, max(strideH, dilationH))
     * @param outPadW extra columns at the right, in [0, max(strideW, dilationW))
     * @return {@code [N, Cout, OH, OW]}
     * @throws IllegalArgumentException when a shape or setting does not fit
     */
    public static int[] outputShape(int[] x, int[] weight, Conv2dSpec spec, int outPadH, int outPadW) {
        String op = "convTranspose2d";
        if (x.length != 4) {
            throw new IllegalArgumentException(op + ": input must be [N, Cin, H, W], got " + Shape.str(x));
        }
        if (weight.length != 4) {
            throw new IllegalArgumentException(op + ": weight must be [Cin, Cout/groups, KH, KW], got " + Shape.str(weight));
        }
        if (weight[0] != x[1]) {
            throw new IllegalArgumentException(op + ": weight " + Shape.str(weight) + " expects " + weight[0]
                    + " input channels, input " + Shape.str(x) + " has " + x[1]);
        }
        if (x[1] % spec.groups() != 0) {
            throw new IllegalArgumentException(op + ": input channels (" + x[1] + ") must be divisible by groups "
                    + spec.groups());
        }
        if (outPadH < 0 || outPadW < 0 || outPadH >= Math.max(spec.strideH(), spec.dilationH())
                || outPadW >= Math.max(spec.strideW(), spec.dilationW())) {
            throw new IllegalArgumentException(op + ": output padding (" + outPadH + ", " + outPadW + ") must be at"
                    + " least 0 and less than the stride or the dilation (" + Math.max(spec.strideH(), spec.dilationH())
                    + ", " + Math.max(spec.strideW(), spec.dilationW()) + ")");
        }
        long oh = (long) (x[2] - 1) * spec.strideH() - 2L * spec.padH() + (long) spec.dilationH() * (weight[2] - 1)
                + outPadH + 1;
        long ow = (long) (x[3] - 1) * spec.strideW() - 2L * spec.padW() + (long) spec.dilationW() * (weight[3] - 1)
                + outPadW + 1;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(x) + " with weight " + Shape.str(weight)
                    + " and padding (" + spec.padH() + ", " + spec.padW() + ") gives an output of " + oh + "×" + ow);
        }
        int[] out = {x[0], weight[1] * spec.groups(), Shape.count(op, oh, "the output height"),
            Shape.count(op, ow, "the output width")};
        Shape.numel(op, out);
        return out;
    }

    /**
     * The forward pass.
     *
     * @param x {@code [N, Cin, H, W]}
     * @param weight {@code [Cin, Cout/groups, KH, KW]}
     * @param bias {@code [Cout]}, or null
     * @param spec stride, padding, dilation, groups
     * @param outPadH extra output rows
     * @param outPadW extra output columns
     * @return {@code [N, Cout, OH, OW]}, a new tensor
     */
    public static Tensor forward(Tensor x, Tensor weight, Tensor bias, Conv2dSpec spec, int outPadH, int outPadW) {
        int[] os = outputShape(x.shape, weight.shape, spec, outPadH, outPadW);
        Tensor y = Convolution.conv2dBackwardInput(x, weight, os, spec);
        if (bias != null) {
            if (bias.dim() != 1 || bias.shape[0] != os[1]) {
                throw new IllegalArgumentException("convTranspose2d: bias must be [" + os[1] + "], got " + Shape.str(bias.shape));
            }
            y = y.add(bias.reshape(1, os[1], 1, 1));
        }
        return y;
    }

    /**
     * @param gradOutput {@code [N, Cout, OH, OW]}
     * @param weight the forward's weight
     * @param spec the forward's spec
     * @return the gradient with respect to the input, {@code [N, Cin, H, W]}
     */
    public static Tensor backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec) {
        return Convolution.conv2d(gradOutput, weight, null, spec);
    }

    /**
     * @param gradOutput {@code [N, Cout, OH, OW]}
     * @param input the forward's input {@code [N, Cin, H, W]}
     * @param weightShape {@code [Cin, Cout/groups, KH, KW]}
     * @param spec the forward's spec
     * @return the gradient with respect to the weight
     */
    public static Tensor backwardWeight(Tensor gradOutput, Tensor input, int[] weightShape, Conv2dSpec spec) {
        return Convolution.conv2dBackwardWeight(input, gradOutput, weightShape, spec);
    }
}
