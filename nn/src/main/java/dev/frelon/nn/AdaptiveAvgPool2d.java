package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;

/**
 * Average pooling to a fixed output size: {@code [N, C, H, W] -> [N, C, oh, ow]}. With (1, 1) it is global
 * average pooling.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int oh, ow;

    /**
     * Creates a pooling layer whose output is {@code oh × ow} whatever the input size; each output cell averages
     * one window of the input, windows spread evenly over it (as PyTorch's {@code nn.AdaptiveAvgPool2d}).
     *
     * @param oh output height, positive
     * @param ow output width, positive
     * @throws IllegalArgumentException when a size is not positive
     */
    public AdaptiveAvgPool2d(int oh, int ow) {
        this.oh = Shapes.positive("AdaptiveAvgPool2d", "output height", oh);
        this.ow = Shapes.positive("AdaptiveAvgPool2d", "output width", ow);
    }

    /**
     * Creates a global average pooling layer, the mean of each channel over all its positions.
     *
     * @return global average pooling, {@code [N, C, H, W] -> [N, C, 1, 1]}
     */
    public static AdaptiveAvgPool2d global() {
        return new AdaptiveAvgPool2d(1, 1);
    }

    @Override
    public Variable forward(Variable x) {
        Shapes.rank("AdaptiveAvgPool2d", x, 4, "[N, C, H, W]");
        if (oh == 1 && ow == 1) {
            return x.mean(new int[] {2, 3}, true);
        }
        return NeuralOps.adaptiveAvgPool2d(x, oh, ow);
    }

    @Override
    protected String extraRepr() {
        return "output=(" + oh + ", " + ow + ")";
    }
}
