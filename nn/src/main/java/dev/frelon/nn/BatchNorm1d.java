package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Batch normalisation of {@code [N, C]} or {@code [N, C, L]} inputs (see {@link BatchNorm}). */
public final class BatchNorm1d extends BatchNorm {
    /**
     * Creates the layer with PyTorch's defaults, {@code eps = 1e-5} and {@code momentum = 0.1}, for
     * {@code [N, C]} or {@code [N, C, L]} inputs.
     *
     * @param features channels C (eps 1e-5, momentum 0.1, as PyTorch), positive
     * @throws IllegalArgumentException when {@code features} is not positive
     */
    public BatchNorm1d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    /**
     * Creates the layer with the given variance offset and running-statistics momentum, for {@code [N, C]} or
     * {@code [N, C, L]} inputs; {@code eps} and {@code momentum} are checked when the layer runs.
     *
     * @param features channels C, positive
     * @param eps added to the variance, &gt; 0
     * @param momentum weight of the newest batch in the running statistics, in [0, 1]
     * @throws IllegalArgumentException when {@code features} is not positive
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
