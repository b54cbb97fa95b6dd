package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

/**
 * 2-d convolution (cross-correlation, as PyTorch's {@code nn.Conv2d}). Input {@code [N, in, H, W]}, output
 * {@code [N, out, OH, OW]} with {@code OH = (H + 2·padding − dilation·(k−1) − 1)/stride + 1}; weight
 * {@code [out, in/groups, k, k]}, bias {@code [out]}. Initialised as PyTorch.
 *
 * <pre>{@code new Conv2d(1, 6, 5, Conv2d.Options.padding(2))}</pre>
 */
public final class Conv2d extends Module {

    /**
     * Convolution settings; start from {@link #DEFAULT} or a static factory and chain the withers.
     *
     * @param stride step of the window
     * @param padding zero padding on each side; -1 means "same" (output size = input size, stride 1)
     * @param dilation spacing of kernel taps
     * @param groups channel groups
     * @param bias whether to learn a bias
     */
    public record Options(int stride, int padding, int dilation, int groups, boolean bias) {
        /** Stride 1, no padding, dilation 1, one group, with bias. */
        public static final Options DEFAULT = new Options(1, 0, 1, 1, true);

        /**
         * Returns the defaults (stride 1, dilation 1, one group, with bias) with the given zero padding. Values
         * are checked when the layer is built, not here.
         *
         * @param p zero padding on each side, or -1 for "same"
         * @return defaults with that padding
         */
        public static Options padding(int p) { return DEFAULT.withPadding(p); }
        /**
         * Returns the defaults (no padding, dilation 1, one group, with bias) with the given stride.
         *
         * @param s stride on both axes
         * @return defaults with that stride
         */
        public static Options stride(int s) { return DEFAULT.withStride(s); }
        /**
         * Returns the defaults with "same" padding (-1): the layer pads {@code dilation·(k − 1)/2} on each side
         * so that the output keeps the input's H and W, as PyTorch's {@code padding='same'}; it needs stride 1
         * and an even {@code dilation·(k − 1)}.
         *
         * @return defaults with "same" padding
         */
        public static Options same() { return DEFAULT.withPadding(-1); }
        /**
         * Returns a copy of these options with another zero padding.
         *
         * @param p zero padding on each side (-1: "same")
         * @return a copy
         */
        public Options withPadding(int p) { return new Options(stride, p, dilation, groups, bias); }
        /**
         * Returns a copy of these options with another stride.
         *
         * @param s stride on both axes
         * @return a copy
         */
        public Options withStride(int s) { return new Options(s, padding, dilation, groups, bias); }
        /**
         * Returns a copy of these options with another dilation (spacing of the kernel taps).
         *
         * @param d dilation on both axes
         * @return a copy
         */
        public Options withDilation(int d) { return new Options(stride, padding, d, groups, bias); }
        /**
         * Returns a copy of these options with another number of channel groups; the layer's input and output
         * channels must both divide by it.
         *
         * @param g groups
         * @return a copy
         */
        public Options withGroups(int g) { return new Options(stride, padding, dilation, g, bias); }
        /**
         * Returns a copy of these options with or without a learned bias.
         *
         * @param b whether to learn a bias
         * @return a copy
         */
        public Options withBias(boolean b) { return new Options(stride, padding, dilation, groups, b); }
    }

    private final int in, out, kernel;
    private final Options options;
    private final Conv2dSpec spec;
    private final Variable weight, bias;

    /**
     * Creates a convolution with the default options (stride 1, no padding, dilation 1, one group, with bias),
     * initialised from this thread's default generator ({@link Init#defaultRng()}).
     *
     * @param in input channels, positive
     * @param out output channels, positive
     * @param kernel square kernel size, positive
     * @throws IllegalArgumentException when a size is not positive
     */
    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, Options.DEFAULT);
    }

    /**
     * Creates a convolution with the given options, initialised from this thread's default generator
     * ({@link Init#defaultRng()}).
     *
     * @param in input channels, positive
     * @param out output channels, positive
     * @param kernel square kernel size, positive
     * @param options stride, padding, dilation, groups, bias
     * @throws IllegalArgumentException as {@link #Conv2d(int, int, int, Options, Rng)}
     */
    public Conv2d(int in, int out, int kernel, Options options) {
        this(in, out, kernel, options, Init.defaultRng());
    }

    /**
     * Creates a convolution initialised as PyTorch's default ({@link Init#pytorchDefault}): weight and bias
     * uniform in {@code (−1/√fanIn, 1/√fanIn)} with {@code fanIn = in/groups·k·k}. Padding -1 ("same") becomes
     * {@code dilation·(k − 1)/2} on each side.
     *
     * @param in input channels, positive
     * @param out output channels, positive
     * @param kernel square kernel size, positive
     * @param options stride, padding, dilation, groups, bias
     * @param rng initialisation generator
     * @throws IllegalArgumentException when a size is not positive, "same" padding is asked with a stride other
     *         than 1 or an odd {@code dilation·(k − 1)}, {@code in} or {@code out} does not divide by the groups,
     *         or the stride, padding or dilation is out of range for {@link Conv2dSpec}
     */
    public Conv2d(int in, int out, int kernel, Options options, Rng rng) {
        this.in = Shapes.positive("Conv2d", "in channels", in);
        this.out = Shapes.positive("Conv2d", "out channels", out);
        this.kernel = Shapes.positive("Conv2d", "kernel size", kernel);
        this.options = options;
        int pad = options.padding();
        if (pad == -1) {
            if (options.stride() != 1) {
                throw new IllegalArgumentException("Conv2d: padding 'same' needs stride 1, got " + options.stride());
            }
            int total = options.dilation() * (kernel - 1);
            if (total % 2 != 0) {
                throw new IllegalArgumentException("Conv2d: padding 'same' with kernel " + kernel + " and dilation "
                        + options.dilation() + " needs asymmetric padding, which is not supported");
            }
            pad = total / 2;
        }
        if (in % options.groups() != 0 || out % options.groups() != 0) {
            throw new IllegalArgumentException("Conv2d: in (" + in + ") and out (" + out + ") channels must be divisible"
                    + " by groups " + options.groups());
        }
        this.spec = new Conv2dSpec(options.stride(), options.stride(), pad, pad, options.dilation(), options.dilation(),
                options.groups());
        this.weight = register("weight", Variable.parameter(Tensor.zeros(out, in / options.groups(), kernel, kernel)));
        this.bias = options.bias() ? register("bias", Variable.parameter(Tensor.zeros(out))) : null;
        Init.pytorchDefault(weight.data(), bias == null ? null : bias.data(), rng);
    }

    /**
     * The learned convolution kernels, registered as parameter {@code "weight"}.
     *
     * @return the weight {@code [out, in/groups, k, k]}
     */
    public Variable weight() {
        return weight;
    }

    /**
     * The learned bias, registered as parameter {@code "bias"} when the layer has one.
     *
     * @return the bias {@code [out]}, or null when built without a bias
     */
    public Variable bias() {
        return bias;
    }

    @Override
    public Variable forward(Variable x) {
        Shapes.rank("Conv2d", x, 4, "[N, " + in + ", H, W]");
        Shapes.size("Conv2d", x, 1, in, "[N, " + in + ", H, W]");
        return NeuralOps.conv2d(x, weight, bias, spec);
    }

    @Override
    protected String extraRepr() {
        return in + ", " + out + ", kernel=" + kernel + ", stride=" + options.stride() + ", padding="
                + (options.padding() == -1 ? "same" : options.padding())
                + (options.dilation() != 1 ? ", dilation=" + options.dilation() : "")
                + (options.groups() != 1 ? ", groups=" + options.groups() : "") + (bias == null ? ", bias=false" : "");
    }
}
