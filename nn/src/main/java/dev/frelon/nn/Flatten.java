package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Merges dims {@code startDim..endDim} (default 1..-1): {@code [N, C, H, W] -> [N, C·H·W]}. */
public final class Flatten extends Module {
    private final int startDim, endDim;

    /** Flattens everything but the batch dim. */
    public Flatten() {
        this(1, -1);
    }

    /**
     * @param startDim first merged dim
     * @param endDim last merged dim
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() <= Math.max(startDim, 0)) {
            throw new IllegalArgumentException("Flatten: input of shape " + java.util.Arrays.toString(x.shape())
                    + " has no dim " + startDim);
        }
        return x.flatten(startDim, endDim);
    }
}
