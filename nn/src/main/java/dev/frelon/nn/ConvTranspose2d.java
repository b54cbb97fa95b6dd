package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

/**
 * A 2-d transposed convolution, as PyTorch's {@code nn.ConvTranspose2d}: {@code [N, in, H, W] → [N, out, OH, OW]}
 * with {@code OH = (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1}. A DCGAN generator grows
 * 4×4 maps to 8×8 with {@code new ConvTranspose2d(c, c / 2, 4, Options.stride(2).withPadding(1))}. Parameters
 * {@code weight} {@code [in, out/groups, k, k]} (PyTorch's layout) and {@code bias} {@code [out]}, initialised as
 * PyTorch does.
 */
public final class ConvTranspose2d extends Module {

    /**
     * The layer's geometry; start from {@link #DEFAULT} or {@link #stride(int)}.
     *
     * @param stride step on both axes, at least 1
     * @param padding implicit padding removed from each side of the output, at least 0
     * @param outputPadding extra rows and columns at the bottom and right, less than the stride
     * @param dilation spacing of the kernel taps, at least 1
     * @param groups channel groups; in and out must both divide by it
     * @param bias whether to learn a bias
     */
    public record Options(int stride, int padding, int outputPadding, int dilation, int groups, boolean bias) {
        /** Stride 1, no padding, no output padding, dilation 1, one group, with bias: PyTorch's defaults. */
        public static final Options DEFAULT = new Options(1, 0, 0, 1, 1, true);

        /**
         * PyTorch's defaults with another stride, the usual start for an upsampling layer.
         *
         * @param s the stride
         * @return the defaults with that stride
         */
        public static Options stride(int s) {
            return DEFAULT.withStride(s);
        }

        /**
         * Copies these options with another stride.
         *
         * @param s the stride on both axes
         * @return a copy with that stride
         */
        public Options withStride(int s) { return new Options(s, padding, outputPadding, dilation, groups, bias); }

        /**
         * Copies these options with another padding, the rows and columns cut from each side of the output.
         *
         * @param p the padding on both axes
         * @return a copy with that padding
         */
        public Options withPadding(int p) { return new Options(stride, p, outputPadding, dilation, groups, bias); }

        /**
         * Copies these options with another output padding, the rows and columns added at the bottom and right.
         *
         * @param p the output padding on both axes
         * @return a copy with that output padding
         */
        public Options withOutputPadding(int p) { return new Options(stride, padding, p, dilation, groups, bias); }

        /**
         * Copies these options with another dilation, the spacing of the kernel taps.
         *
         * @param d the dilation on both axes
         * @return a copy with that dilation
         */
        public Options withDilation(int d) { return new Options(stride, padding, outputPadding, d, groups, bias); }

        /**
         * Copies these options with another number of channel groups.
         *
         * @param g the number of channel groups
         * @return a copy with that many groups
         */
        public Options withGroups(int g) { return new Options(stride, padding, outputPadding, dilation, g, bias); }

        /**
         * Copies these options with or without a learned bias.
         *
         * @param b whether to learn a bias
         * @return a copy with or without a bias
         */
        public Options withBias(boolean b) { return new Options(stride, padding, outputPadding, dilation, groups, b); }
    }

    private final int in, out, kernel;
    private final Options options;
    private final Conv2dSpec spec;
    private final Variable weight, bias;

    /**
     * Creates a transposed convolution with default options, initialised from this thread's default generator.
     *
     * @param in input channels, positive
     * @param out output channels, positive
     * @param kernel square kernel size, positive
     */
    public ConvTranspose2d(int in, int out, int kernel) {
        this(in, out, kernel, Options.DEFAULT, Init.defaultRng());
    }

    /**
     * Creates a transposed convolution initialised from this thread's default generator.
     *
     * @param in input channels, positive
     * @param out output channels, positive
     * @param kernel square kernel size, positive
     * @param options stride, padding, output padding, dilation, groups, bias
     */
    public ConvTranspose2d(int in, int out, int kernel, Options options) {
        this(in, out, kernel, options, Init.defaultRng());
    }

    /**
     * Creates a transposed convolution initialised as PyTorch's default: weight and bias uniform in
     * {@code (−1/√fanIn, 1/√fanIn)} with {@code fanIn = out/groups·k·k} (PyTorch takes dim 1 of the weight).
     *
     * @param in input channels, positive
     * @param out output channels, positive
     * @param kernel square kernel size, positive
     * @param options stride, padding, output padding, dilation, groups, bias
     * @param rng initialisation generator
     * @throws IllegalArgumentException when a size is not positive, the channels do not divide by the groups, or
     *         a setting is out of range
     */
    public ConvTranspose2d(int in, int out, int kernel, Options options, Rng rng) {
        this.in = Shapes.positive("ConvTranspose2d", "in channels", in);
        this.out = Shapes.positive("ConvTranspose2d", "out channels", out);
        this.kernel = Shapes.positive("ConvTranspose2d", "kernel size", kernel);
        this.options = options;
        if (options.groups() < 1 || in % options.groups() != 0 || out % options.groups() != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: in (" + in + ") and out (" + out + ") channels must be"
                    + " divisible by groups " + options.groups());
        }
        if (options.outputPadding() < 0 || options.outputPadding() >= options.stride()) {
            throw new IllegalArgumentException("ConvTranspose2d: output padding " + options.outputPadding() + " must be"
                    + " at least 0 and less than the stride " + options.stride());
        }
        this.spec = new Conv2dSpec(options.stride(), options.stride(), options.padding(), options.padding(),
                options.dilation(), options.dilation(), options.groups());
        this.weight = register("weight", Variable.parameter(Tensor.zeros(in, out / options.groups(), kernel, kernel)));
        this.bias = options.bias() ? register("bias", Variable.parameter(Tensor.zeros(out))) : null;
        Init.pytorchDefault(weight.data(), bias == null ? null : bias.data(), rng);
    }

    /**
     * The learned kernels, registered as parameter {@code "weight"}.
     *
     * @return the weight {@code [in, out/groups, k, k]}
     */
    public Variable weight() {
        return weight;
    }

    /**
     * The learned bias, registered as parameter {@code "bias"} when the layer has one.
     *
     * @return the bias {@code [out]}, or null
     */
    public Variable bias() {
        return bias;
    }

    @Override
    public Variable forward(Variable x) {
        Shapes.rank("ConvTranspose2d", x, 4, "[N, " + in + ", H, W]");
        Shapes.size("ConvTranspose2d", x, 1, in, "[N, " + in + ", H, W]");
        return NeuralOps.convTranspose2d(x, weight, bias, spec, options.outputPadding(), options.outputPadding());
    }

    @Override
    protected String extraRepr() {
        return in + ", " + out + ", kernel=" + kernel + ", stride=" + options.stride() + ", padding=" + options.padding()
                + (options.outputPadding() != 0 ? ", output_padding=" + options.outputPadding() : "")
                + (options.dilation() != 1 ? ", dilation=" + options.dilation() : "")
                + (options.groups() != 1 ? ", groups=" + options.groups() : "") + (bias == null ? ", bias=false" : "");
    }
}
