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

        /** @param p zero padding @return defaults with that padding */
        public static Options padding(int p) { return DEFAULT.withPadding(p); }
        /** @param s stride @return defaults with that stride */
        public static Options stride(int s) { return DEFAULT.withStride(s); }
        /** @return defaults with "same" padding */
        public static Options same() { return DEFAULT.withPadding(-1); }
        /** @param p zero padding (-1: "same") @return a copy */
        public Options withPadding(int p) { return new Options(stride, p, dilation, groups, bias); }
        /** @param s stride @return a copy */
        public Options withStride(int s) { return new Options(s, padding, dilation, groups, bias); }
        /** @param d dilation @return a copy */
        public Options withDilation(int d) { return new Options(stride, padding, d, groups, bias); }
        /** @param g groups @return a copy */
        public Options withGroups(int g) { return new Options(stride, padding, dilation, g, bias); }
        /** @param b whether to learn a bias @return a copy */
        public Options withBias(boolean b) { return new Options(stride, padding, dilation, groups, b); }
    }

    private final int in, out, kernel;
    private final Options options;
    private final Conv2dSpec spec;
    private final Variable weight, bias;

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel square kernel size
     */
    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, Options.DEFAULT);
    }

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel square kernel size
     * @param options stride, padding, dilation, groups, bias
     */
    public Conv2d(int in, int out, int kernel, Options options) {
        this(in, out, kernel, options, Init.defaultRng());
    }

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel square kernel size
     * @param options stride, padding, dilation, groups, bias
     * @param rng initialisation generator
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

    /** @return the weight {@code [out, in/groups, k, k]} */
    public Variable weight() {
        return weight;
    }

    /** @return the bias {@code [out]}, or null */
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
