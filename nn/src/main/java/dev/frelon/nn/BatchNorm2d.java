package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Batch normalisation of {@code [N, C, H, W]} inputs (see {@link BatchNorm}). */
public final class BatchNorm2d extends BatchNorm {
    /** @param features channels C (eps 1e-5, momentum 0.1, as PyTorch) */
    public BatchNorm2d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    /**
     * @param features channels C
     * @param eps added to the variance
     * @param momentum weight of the newest batch in the running statistics
     */
    public BatchNorm2d(int features, float eps, float momentum) {
        super("BatchNorm2d", features, eps, momentum);
    }

    @Override
    void checkInput(Variable x) {
        Shapes.rank("BatchNorm2d", x, 4, "[N, C, H, W]");
    }
}
