package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Batch normalisation of {@code [N, C]} or {@code [N, C, L]} inputs (see {@link BatchNorm}). */
public final class BatchNorm1d extends BatchNorm {
    /** @param features channels C (eps 1e-5, momentum 0.1, as PyTorch) */
    public BatchNorm1d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    /**
     * @param features channels C
     * @param eps added to the variance
     * @param momentum weight of the newest batch in the running statistics
     */
    public BatchNorm1d(int features, float eps, float momentum) {
        super("BatchNorm1d", features, eps, momentum);
    }

    @Override
    void checkInput(Variable x) {
        if (x.dim() != 2 && x.dim() != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected input [N, C] or [N, C, L], got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
    }
}
