package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Pool2dSpec;

/** Average pooling (padding counts as zeros): {@code [N, C, H, W] -> [N, C, OH, OW]}. */
public final class AvgPool2d extends Module {
    private final int kernel, stride, padding;
    private final Pool2dSpec spec;

    /**
     * Creates a pooling layer over non-overlapping {@code kernel × kernel} windows (stride equal to the
     * kernel, no padding), as PyTorch's {@code nn.AvgPool2d(kernel)}.
     *
     * @param kernel window size (the stride too), positive
     * @throws IllegalArgumentException when {@code kernel} is not positive
     */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /**
     * Creates a pooling layer over square {@code kernel × kernel} windows, as PyTorch's
     * {@code nn.AvgPool2d(kernel, stride, padding)}. Padded positions count as zeros in the mean (PyTorch's
     * {@code count_include_pad=True}). The bound of padding by half the kernel is checked when the layer runs.
     *
     * @param kernel window size, positive
     * @param stride step, positive
     * @param padding implicit zero padding, at most kernel/2
     * @throws IllegalArgumentException when {@code kernel} or {@code stride} is not positive, or
     *         {@code padding} is negative
     */
    public AvgPool2d(int kernel, int stride, int padding) {
        this.kernel = Shapes.positive("AvgPool2d", "kernel", kernel);
        this.stride = Shapes.positive("AvgPool2d", "stride", stride);
        this.padding = padding;
        this.spec = Pool2dSpec.of(kernel).withStride(stride).withPadding(padding);
    }

    @Override
    public Variable forward(Variable x) {
        Shapes.rank("AvgPool2d", x, 4, "[N, C, H, W]");
        return NeuralOps.avgPool2d(x, spec);
    }

    @Override
    protected String extraRepr() {
        return "kernel=" + kernel + ", stride=" + stride + (padding != 0 ? ", padding=" + padding : "");
    }
}
