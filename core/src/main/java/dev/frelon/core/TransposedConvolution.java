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
 * {@code outputPadding} (less than the stride) adds rows and columns at the bottom and right, to choose among the
 * output sizes that a strided convolution maps to the same input size.
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
     * @param outPadH extra rows at the bottom, in [0, strideH)
     * @param outPadW extra columns at the right, in [0, strideW)
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
        if (weight[2] < 1 || weight[3] < 1) {
            throw new IllegalArgumentException(op + ": the kernel must be at least 1×1, got weight " + Shape.str(weight));
        }
        if (x[2] < 1 || x[3] < 1) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(x) + " has no pixels");
        }
        // Less than the stride: the output rows a strided convolution ignores. (PyTorch also allows up to the
        // dilation, which adds rows that no input reaches; that case is not supported here.)
        if (outPadH < 0 || outPadW < 0 || outPadH >= spec.strideH() || outPadW >= spec.strideW()) {
            throw new IllegalArgumentException(op + ": output padding (" + outPadH + ", " + outPadW + ") must be at"
                    + " least 0 and less than the stride (" + spec.strideH() + ", " + spec.strideW() + ")");
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
        Elements.requireFloat32("convTranspose2d", x);
        Elements.requireFloat32("convTranspose2d", weight);
        int[] os = outputShape(x.shape, weight.shape, spec, outPadH, outPadW);
        Tensor y = pointInput(x.shape, weight.shape, spec, os)
                ? flat(x).matmul(flatWeight(weight)).reshape(os)
                : Convolution.conv2dBackwardInput(x, weight, os, spec);
        if (bias != null) {
            Elements.requireFloat32("convTranspose2d", bias);
            if (bias.dim() != 1 || bias.shape[0] != os[1]) {
                throw new IllegalArgumentException("convTranspose2d: bias must be [" + os[1] + "], got " + Shape.str(bias.shape));
            }
            y = y.add(bias.reshape(1, os[1], 1, 1));
        }
        return y;
    }

    /**
     * The gradient with respect to the input: a convolution of the output gradient with the same weight.
     *
     * @param gradOutput {@code [N, Cout, OH, OW]}
     * @param weight the forward's weight
     * @param spec the forward's spec
     * @return the gradient with respect to the input, {@code [N, Cin, H, W]}
     */
    public static Tensor backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec) {
        Elements.requireFloat32("convTranspose2dBackwardInput", gradOutput);
        Elements.requireFloat32("convTranspose2dBackwardInput", weight);
        int[] w = weight.shape;
        if (gradOutput.dim() == 4 && pointInput(new int[] {gradOutput.shape[0], w[0], 1, 1}, w, spec, gradOutput.shape)) {
            return flat(gradOutput).matmul(flatWeight(weight).t()).reshape(gradOutput.shape[0], w[0], 1, 1);
        }
        return Convolution.conv2d(gradOutput, weight, null, spec);
    }

    /**
     * The gradient with respect to the weight: the convolution's weight gradient with input and output swapped.
     *
     * @param gradOutput {@code [N, Cout, OH, OW]}
     * @param input the forward's input {@code [N, Cin, H, W]}
     * @param weightShape {@code [Cin, Cout/groups, KH, KW]}
     * @param spec the forward's spec
     * @return the gradient with respect to the weight
     */
    public static Tensor backwardWeight(Tensor gradOutput, Tensor input, int[] weightShape, Conv2dSpec spec) {
        Elements.requireFloat32("convTranspose2dBackwardWeight", gradOutput);
        Elements.requireFloat32("convTranspose2dBackwardWeight", input);
        if (gradOutput.dim() == 4 && pointInput(input.shape, weightShape, spec, gradOutput.shape)) {
            return flat(input).t().matmul(flat(gradOutput)).reshape(weightShape);
        }
        return Convolution.conv2dBackwardWeight(input, gradOutput, weightShape, spec);
    }

    /**
     * A 1×1 input without padding, groups or dilation, whose output is exactly one kernel (a generator's first
     * layer, noise to a k×k map): the transposed convolution is then one matrix product,
     * {@code Y[n, (o, a, b)] = Σ_c X[n, c]·W[c, (o, a, b)]}, and so are its gradients. Through the convolution
     * kernels each image would be a matrix-vector product.
     */
    private static boolean pointInput(int[] x, int[] w, Conv2dSpec s, int[] y) {
        return x.length == 4 && x[2] == 1 && x[3] == 1 && s.padH() == 0 && s.padW() == 0 && s.groups() == 1
                && s.dilationH() == 1 && s.dilationW() == 1 && y.length == 4 && y[2] == w[2] && y[3] == w[3]
                && y[1] == w[1] && x[1] == w[0];
    }

    /** [N, C, H, W] as [N, C·H·W]. */
    private static Tensor flat(Tensor t) {
        return t.reshape(t.shape[0], -1);
    }

    /** The weight [C, O, KH, KW] as [C, O·KH·KW]. */
    private static Tensor flatWeight(Tensor w) {
        return w.reshape(w.shape[0], -1);
    }
}
