package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Batch normalisation of {@code [N, C, H, W]} inputs (see {@link BatchNorm}). */
public final class BatchNorm2d extends BatchNorm {
    /**
     * Creates the layer with PyTorch's defaults, {@code eps = 1e-5} and {@code momentum = 0.1}, for
     * {@code [N, C, H, W]} inputs.
     *
     * @param features channels C (eps 1e-5, momentum 0.1, as PyTorch), positive
     * @throws IllegalArgumentException when {@code features} is not positive
     */
    public BatchNorm2d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    /**
     * Creates the layer with the given variance offset and running-statistics momentum, for {@code [N, C, H, W]}
     * inputs; {@code eps} and {@code momentum} are checked when the layer runs.
     *
     * @param features channels C, positive
     * @param eps added to the variance, &gt; 0
     * @param momentum weight of the newest batch in the running statistics, in [0, 1]
     * @throws IllegalArgumentException when {@code features} is not positive
     */
    public BatchNorm2d(int features, float eps, float momentum) {
        super("BatchNorm2d", features, eps, momentum);
    }

    @Override
    void checkInput(Variable x) {
        Shapes.rank("BatchNorm2d", x, 4, "[N, C, H, W]");
    }
}
